import { describe, expect, it } from 'vitest';
import type { PurgeFaultAction } from '../cdn/cloudflare/purge-api.ts';
import { healSignal, untilHealedOr, type Heal } from './fault.ts';
import { FAULTS, faultKind, needsOfFaults } from './index.ts';
import { firstRequests } from './purge-budget.ts';
import { platformApiError } from './platform-api-error.ts';
import { purgeLate } from './purge-late.ts';
import { purgeRateLimit } from './purge-rate-limit.ts';
import { purgeServerError } from './purge-server-error.ts';
import { purgeTimeout } from './purge-timeout.ts';
import { createRng } from './rng.ts';

type Decide = (() => PurgeFaultAction | undefined) | undefined;

/** The smallest FaultContext a purge fault uses: the purge API's fault slot. */
function fakeCtx() {
  const slot: { decide: Decide; installs: number } = { decide: undefined, installs: 0 };
  const ctx = {
    purgeApi: {
      setPurgeFault: (fn: Decide) => {
        slot.decide = fn;
        slot.installs++;
      },
    },
  } as never;
  return { ctx, slot };
}
const calls = (decide: Decide, n: number) => Array.from({ length: n }, () => decide?.());

describe('FAULTS', () => {
  it('lists every fault once, each found by its name, in the area its name starts with', () => {
    const names = FAULTS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(18);
    for (const f of FAULTS) {
      expect(faultKind(f.name)).toBe(f);
      expect(f.area).toBe(f.name.startsWith('purge-') ? 'purge-api' : f.name.split('-')[0]);
      expect(f.description.length, f.name).toBeGreaterThan(40);
    }
    expect(faultKind('purge-nope')).toBeUndefined();
    expect(faultKind('')).toBeUndefined();
  });

  it('declares what the run must start: the fault layer for every origin fault, a back/forward cache for browser-bfcache, nothing else', () => {
    for (const f of FAULTS) {
      const expected = f.area === 'origin' ? ['faultLayer'] : f.name === 'browser-bfcache' ? ['bfcache'] : [];
      expect([...(f.needs ?? [])], f.name).toEqual(expected);
    }
    expect(needsOfFaults(['origin-kill', 'purge-late', 'browser-bfcache'])).toEqual(['faultLayer', 'bfcache']);
    expect(() => needsOfFaults(['disk-full'])).toThrow('unknown fault "disk-full"');
  });
});

describe('fault params and labels', () => {
  it('purge-rate-limit: 2 requests, Retry-After 1 s by default; Retry-After within 1..60', () => {
    const p = purgeRateLimit.params.parse({});
    expect(p).toEqual({ requests: 2, retryAfterS: 1 });
    expect(purgeRateLimit.label(p)).toBe('purge API rate-limits 2 requests (429, Retry-After 1 s)');
    expect(purgeRateLimit.label({ requests: 1, retryAfterS: 5 })).toBe('purge API rate-limits 1 request (429, Retry-After 5 s)');
    expect(purgeRateLimit.label({ requests: 0, retryAfterS: 60 })).toMatch(
      /^purge API rate-limits every request.* \(429, Retry-After 60 s\)$/,
    );
    expect(purgeRateLimit.params.safeParse({ retryAfterS: 60 }).success).toBe(true);
    for (const bad of [{ retryAfterS: 0 }, { retryAfterS: 61 }, { retryAfterS: 1.5 }, { requests: -1 }, { requests: '2' }]) {
      expect(purgeRateLimit.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('purge-server-error: 2 requests, 502 by default; only 500, 502, 503 and 504', () => {
    const p = purgeServerError.params.parse({});
    expect(p).toEqual({ requests: 2, status: 502 });
    expect(purgeServerError.label(p)).toBe('purge API answers 502 to 2 requests');
    expect(purgeServerError.label({ requests: 0, status: 503 })).toMatch(/^purge API answers 503 to every request/);
    expect(purgeServerError.params.safeParse({ status: 504 }).success).toBe(true);
    expect(purgeServerError.params.safeParse({ status: 501 }).success).toBe(false);
    expect(purgeServerError.params.safeParse({ status: 429 }).success).toBe(false);
  });

  it('purge-timeout: 1 request held 20 s by default; hold within 100 ms..120 s', () => {
    const p = purgeTimeout.params.parse({});
    expect(p).toEqual({ requests: 1, holdMs: 20_000 });
    expect(purgeTimeout.label(p)).toBe('purge API hangs 20000 ms on 1 request');
    expect(purgeTimeout.params.safeParse({ holdMs: 100 }).success).toBe(true);
    expect(purgeTimeout.params.safeParse({ holdMs: 99 }).success).toBe(false);
    expect(purgeTimeout.params.safeParse({ holdMs: 120_001 }).success).toBe(false);
  });

  it('purge-late: every request, 6 s late by default; delay within 100 ms..600 s', () => {
    const p = purgeLate.params.parse({});
    expect(p).toEqual({ requests: 0, delayMs: 6_000 });
    expect(purgeLate.label(p)).toBe('purge API applies every purge 6000 ms late');
    expect(purgeLate.label({ requests: 3, delayMs: 500 })).toMatch(/^purge API applies 3 purge.* 500 ms late$/);
    expect(purgeLate.params.safeParse({ delayMs: 600_000 }).success).toBe(true);
    expect(purgeLate.params.safeParse({ delayMs: 99 }).success).toBe(false);
    expect(purgeLate.params.safeParse({ delayMs: 600_001 }).success).toBe(false);
  });
});

describe('firstRequests', () => {
  it('hits the first n calls, then lets requests through', () => {
    let made = 0;
    const decide = firstRequests(2, () => ({ kind: 'rate-limit', retryAfterS: made++, fault: 'f' }));
    expect(calls(decide, 4)).toEqual([
      { kind: 'rate-limit', retryAfterS: 0, fault: 'f' },
      { kind: 'rate-limit', retryAfterS: 1, fault: 'f' },
      undefined,
      undefined,
    ]);
  });

  it('hits every call when n is 0', () => {
    const decide = firstRequests(0, () => ({ kind: 'server-error', status: 502, fault: 'f' }));
    expect(calls(decide, 5).every((a) => a?.kind === 'server-error')).toBe(true);
  });
});

describe('inject and heal', () => {
  it('purge-rate-limit installs a 429 decision for the first N calls and heal removes it', async () => {
    const { ctx, slot } = fakeCtx();
    const heal = await purgeRateLimit.inject(ctx, { requests: 2, retryAfterS: 3 });
    const expected = { kind: 'rate-limit', retryAfterS: 3, fault: 'purge-rate-limit' };
    expect(calls(slot.decide, 3)).toEqual([expected, expected, undefined]);
    await heal();
    expect(slot.decide).toBeUndefined();
    expect(slot.installs).toBe(2);
  });

  it('purge-server-error answers its status to the first N calls', async () => {
    const { ctx, slot } = fakeCtx();
    const heal = await purgeServerError.inject(ctx, { requests: 1, status: 503 });
    expect(calls(slot.decide, 2)).toEqual([{ kind: 'server-error', status: 503, fault: 'purge-server-error' }, undefined]);
    await heal();
    expect(slot.decide).toBeUndefined();
  });

  it('platform-api-error fails every traffic read until healed, and only where a platform API exists', async () => {
    let decide: (() => unknown) | undefined;
    const platformApi = (url?: string) => ({
      platformApi: {
        ...(url ? { platformUrl: url } : {}),
        setPlatformFault: (fn: typeof decide) => {
          decide = fn;
        },
      },
    });
    const heal = await platformApiError.inject(platformApi('http://127.0.0.1:1/platform') as never, { requests: 0, status: 503 });
    expect(Array.from({ length: 3 }, () => decide?.())).toEqual(Array(3).fill({ status: 503, fault: 'platform-api-error' }));
    await heal();
    expect(decide).toBeUndefined();
    await expect(platformApiError.inject(platformApi() as never, { requests: 0, status: 503 })).rejects.toThrow(/needs the platform/);
  });

  it('purge-timeout holds the first N calls for holdMs', async () => {
    const { ctx, slot } = fakeCtx();
    const heal = await purgeTimeout.inject(ctx, { requests: 0, holdMs: 500 });
    expect(calls(slot.decide, 3)).toEqual(Array(3).fill({ kind: 'timeout', holdMs: 500, fault: 'purge-timeout' }));
    await heal();
    expect(slot.decide).toBeUndefined();
  });

  it('purge-late: heal uninstalls it, cuts pending applyAfter() short and waits for the tracked evictions', async () => {
    const { ctx, slot } = fakeCtx();
    const heal: Heal = await purgeLate.inject(ctx, { requests: 1, delayMs: 600_000 });
    const action = slot.decide?.();
    expect(slot.decide?.()).toBeUndefined();
    if (action?.kind !== 'late') throw new Error(`expected a late action, got ${JSON.stringify(action)}`);
    expect(action).toMatchObject({ kind: 'late', describe: '600000 ms late', fault: 'purge-late' });
    const order: string[] = [];
    const applied = action.applyAfter().then(() => order.push('applied'));
    let releaseEviction!: () => void;
    action.track(applied.then(() => new Promise<void>((r) => (releaseEviction = r))).then(() => void order.push('evicted')));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]); // 10 minutes late: nothing before the heal
    const healing = heal().then(() => order.push('healed'));
    await applied;
    expect(slot.decide).toBeUndefined();
    expect(order).toEqual(['applied']); // the heal waits for the tracked eviction
    releaseEviction();
    await healing;
    expect(order).toEqual(['applied', 'evicted', 'healed']);
  });
});

describe('untilHealedOr and healSignal', () => {
  it('resolves after the time when nobody heals', async () => {
    const { healed } = healSignal();
    const start = Date.now();
    await untilHealedOr(30, healed);
    expect(Date.now() - start).toBeGreaterThanOrEqual(25);
  });

  it('resolves at once when healed first', async () => {
    const { healed, heal } = healSignal();
    let done = false;
    const wait = untilHealedOr(60_000, healed).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    heal();
    await wait;
    expect(done).toBe(true);
  });

  it('healSignal stays pending until heal() is called', async () => {
    const { healed, heal } = healSignal();
    const state = await Promise.race([healed.then(() => 'healed'), new Promise((r) => setTimeout(() => r('pending'), 10))]);
    expect(state).toBe('pending');
    heal();
    heal(); // twice is once
    await expect(healed).resolves.toBeUndefined();
  });
});

describe('createRng', () => {
  const draw = (seed: number) => {
    const rng = createRng(seed);
    return Array.from({ length: 20 }, () => rng.int(0, 1_000_000));
  };

  it('gives the same sequence for the same seed and another for another seed', () => {
    expect(createRng(42).seed).toBe(42);
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(new Set(draw(42)).size).toBeGreaterThan(1);
  });

  it('int stays within [min, max], both included', () => {
    const rng = createRng(7);
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(3, 5)));
    expect([...seen].sort()).toEqual([3, 4, 5]);
    expect(rng.int(9, 9)).toBe(9);
  });

  it('chance(0) is never true, chance(1) always', () => {
    const rng = createRng(1);
    const n = 1000;
    expect(Array.from({ length: n }, () => rng.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: n }, () => rng.chance(1)).every(Boolean)).toBe(true);
    const half = Array.from({ length: n }, () => rng.chance(0.5)).filter(Boolean).length;
    expect(half).toBeGreaterThan(400);
    expect(half).toBeLessThan(600);
  });
});
