import { describe, expect, it } from 'vitest';
import { History, ofType } from '../core/history.ts';
import { browserIdle } from './browser-idle.ts';

describe('browser-idle', () => {
  const ctxWith = (history: History, ...names: string[]) => ({ history, sessions: new Map(names.map((n) => [n, {}])) }) as never;

  it('advances the scenario clock an hour by default', async () => {
    const history = new History();
    const before = history.clock();
    const heal = await browserIdle.inject(ctxWith(history, 's1'), browserIdle.params.parse({}));
    expect(ofType(history.events, 'clock').map((e) => [e.advancedMs, e.offsetMs])).toEqual([[3_600_000, 3_600_000]]);
    expect(history.clock() - before).toBeGreaterThanOrEqual(3_600_000);
    await heal(); // the clock never goes back
    expect(ofType(history.events, 'clock')).toHaveLength(1);
  });

  it('advances it by the given duration, on top of earlier advances', async () => {
    const history = new History();
    await browserIdle.inject(ctxWith(history, 's1'), browserIdle.params.parse({ for: '45m', sessions: ['s1'] }));
    await browserIdle.inject(ctxWith(history, 's1'), browserIdle.params.parse({ for: '30s' }));
    expect(ofType(history.events, 'clock').map((e) => [e.advancedMs, e.offsetMs])).toEqual([
      [2_700_000, 2_700_000],
      [30_000, 2_730_000],
    ]);
  });

  it('checks the session names before moving the clock', async () => {
    const history = new History();
    await expect(browserIdle.inject(ctxWith(history, 's1'), { for: '1h', sessions: ['s9'] })).rejects.toThrow(
      'no open session named "s9" (open: s1)',
    );
    expect(history.events).toEqual([]);
  });

  it('rejects durations that are not a whole number of s, m or h; label', () => {
    for (const bad of [
      { for: '1d' },
      { for: '1.5h' },
      { for: 'h' },
      { for: '60' },
      { for: 60 },
      { for: ' 1h' },
      { for: '1h', extra: true },
    ]) {
      expect(browserIdle.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(browserIdle.label({ for: '1h' })).toBe('every open session idle for 1h (scenario clock)');
    expect(browserIdle.label({ for: '45m', sessions: ['s2'] })).toBe('s2 idle for 45m (scenario clock)');
  });
});
