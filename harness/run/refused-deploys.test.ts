import { describe, expect, it } from 'vitest';
import type { Stamped } from '../core/history.ts';
import { unprovokedRefusals } from './refused-deploys.ts';

const deployer = (action: 'deploy' | 'rollback', version: string, refused?: string): Stamped => ({
  t: 0,
  type: 'deployer',
  deployer: 'releases-symlink',
  action,
  version,
  deploymentId: `${version.toLowerCase()}-1`,
  ok: refused === undefined,
  ms: 1,
  ...(refused !== undefined ? { refused } : {}),
});
const fault = (phase: 'inject' | 'heal'): Stamped => ({
  t: 0,
  type: 'fault',
  fault: 'origin-refuse',
  id: 'f1',
  area: 'origin',
  phase,
  label: 'x',
});

describe('unprovokedRefusals', () => {
  it('a deploy refused with no fault injected makes the run inconclusive, naming the deploy and the reason', () => {
    const r = unprovokedRefusals([deployer('deploy', 'A'), deployer('deploy', 'B', 'the new release does not answer')]);
    expect(r).toEqual({
      check: 'deploys-went-live',
      verdict: 'inconclusive',
      evidence: [
        'deploy B was refused by releases-symlink with no fault injected: the new release does not answer',
        expect.stringContaining('saw the previous build only'),
      ],
    });
  });

  it('a refusal a fault provoked, a refused rollback and deploys that went live are not findings', () => {
    expect(
      unprovokedRefusals([deployer('deploy', 'A'), fault('inject'), deployer('deploy', 'B', 'no answer'), fault('heal')]),
    ).toBeUndefined();
    expect(unprovokedRefusals([deployer('deploy', 'A'), deployer('rollback', 'A', 'schema')])).toBeUndefined();
    expect(unprovokedRefusals([deployer('deploy', 'A'), deployer('deploy', 'B')])).toBeUndefined();
    // Healed before the deploy: the refusal is the deployer's own again.
    expect(unprovokedRefusals([fault('inject'), fault('heal'), deployer('deploy', 'B', 'no answer')])?.verdict).toBe('inconclusive');
  });
});
