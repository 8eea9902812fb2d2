import { describe, expect, it } from 'vitest';
import { asset, fakeBuild } from '../../test/check-history.ts';
import type { Stamped } from '../core/history.ts';
import { runChecks } from './run-checks.ts';

describe('runChecks', () => {
  it('gives a failed check the few events that alone fail it, out of the whole history', () => {
    const events = Array.from({ length: 120 }, (_, i) => ({
      t: i * 10,
      ...asset(`/_next/static/chunks/${i}.js`, i === 77 || i === 91 ? 404 : 200, 'HIT'),
    })) as Stamped[];
    const [result] = runChecks(['old-assets-survive'], events, { A: fakeBuild('A'), B: fakeBuild('B') });
    expect(result!.verdict).toBe('fail');
    expect(result!.witness).toMatchObject({ of: 120, minimal: true });
    expect(result!.witness!.events).toHaveLength(1);
    expect([events[77], events[91]]).toContainEqual(result!.witness!.events[0]);
  });

  it('gives a check that passes no witness', () => {
    const events = [{ t: 0, ...asset('/_next/static/chunks/a.js', 200, 'HIT') }] as Stamped[];
    expect(runChecks(['old-assets-survive'], events, { A: fakeBuild('A') })[0]!.witness).toBeUndefined();
  });
});
