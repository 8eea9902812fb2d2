import { describe, expect, it } from 'vitest';
import type { Stamped } from '../core/history.ts';
import { nothingLive } from './nothing-live.ts';
import { reportOf } from './report.ts';

const deploy = (version: string, extra: Partial<Extract<Stamped, { type: 'deployer' }>> = {}): Stamped => ({
  t: 0,
  type: 'deployer',
  deployer: 'deploy.sh',
  action: 'deploy',
  version,
  deploymentId: `${version.toLowerCase()}-1`,
  ok: true,
  ms: 300,
  ...extra,
});
const stack = (live: string[], current?: string): Stamped => ({ t: 0, type: 'stack', live, kept: live, ...(current ? { current } : {}) });

describe('nothingLive', () => {
  // The history of `#!/bin/sh\nexit 0` as the deployer of roll-forward: each deploy "ok", the stack empty after it.
  const noop = [deploy('A'), stack([]), deploy('B'), stack([])];

  it('names every deploy that exited 0 and left nothing live, and goes first in the report', () => {
    expect(nothingLive(noop)).toMatch(
      /^nothing went live: the deployer exited 0 for deploy A, deploy B, yet no release was live after any of them/,
    );
    const report = reportOf({
      scenario: 'roll-forward',
      title: 't',
      deployer: { name: 'deploy.sh', reference: 'external' },
      cdn: 'process',
      world: 'pinned',
      bundler: 'turbopack',
      builds: {},
      checks: [{ check: 'content-renders', verdict: 'fail', evidence: ['page content is gone'] }],
      events: noop,
      startedAt: new Date(),
      runDir: '/r',
      rerun: 'npx skew run roll-forward',
    });
    expect(report.headline).toBe(nothingLive(noop));
  });

  it('says nothing when a deploy went live, was refused, or failed (those have their own words)', () => {
    expect(nothingLive([deploy('A'), stack(['a-1'], 'a-1'), deploy('B'), stack(['a-1', 'b-1'], 'b-1')])).toBeUndefined();
    expect(nothingLive([deploy('A', { refused: 'unhealthy' }), stack([])])).toBeUndefined();
    expect(nothingLive([deploy('A', { ok: false, error: 'exit 3' }), stack([])])).toBeUndefined();
    // Only the deploy that emptied the store is named.
    expect(nothingLive([deploy('A'), stack(['a-1'], 'a-1'), deploy('B'), stack([])])).toMatch(
      /for deploy B, yet no release was live after it /,
    );
  });
});
