import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { History, ofType } from '../core/history.ts';
import type { LayerBehaviour } from '../stack/fault-layer.ts';
import { ActiveFaults } from './active-faults.ts';
import type { Heal } from './fault.ts';
import { faultKind, FAULTS } from './index.ts';
import { originKill } from './origin-kill.ts';
import { originLatency } from './origin-latency.ts';
import { originRefuse } from './origin-refuse.ts';
import { originReset } from './origin-reset.ts';
import { originRestart } from './origin-restart.ts';
import { originSlowStart } from './origin-slow-start.ts';
import { createRng } from './rng.ts';

/** An origin as the stack hands it to faults: a fake process and a fake fault layer that record what they were told. */
interface FakeOrigin {
  deploymentId: string;
  origin: { kill(signal: NodeJS.Signals): Promise<void> };
  layer: { set(b: LayerBehaviour): Promise<void>; onRequest: (() => void) | undefined };
  sets: LayerBehaviour[];
  kills: string[];
}

function fakeOrigin(deploymentId: string, kill: () => Promise<void> = async () => {}): FakeOrigin {
  const sets: LayerBehaviour[] = [];
  const kills: string[] = [];
  return {
    deploymentId,
    sets,
    kills,
    origin: {
      kill: (signal) => {
        kills.push(signal);
        return kill();
      },
    },
    layer: { set: async (b) => void sets.push(b), onRequest: undefined },
  };
}

/** The smallest FaultContext an origin fault uses: the stack's origins, hooks and restart, the builds, history and rng (fault layer started). */
function fakeCtx({ live = [] as FakeOrigin[], seed = 42, restart = async (_id: string) => {} } = {}) {
  const restarts: string[] = [];
  const stack = {
    liveOrigins: () => live,
    originStarted: new Set<(o: FakeOrigin) => void | Promise<void>>(),
    restartOrigin: (id: string) => {
      restarts.push(id);
      return restart(id);
    },
  };
  const history = new History();
  const ctx = {
    stack,
    builds: { A: { deploymentId: 'a-1' }, B: { deploymentId: 'b-2' } },
    history,
    rng: createRng(seed),
    capabilities: new Set(['faultLayer']),
  } as never;
  /** What Stack.startOrigin does once a new origin listens: every hook, in turn, awaited. */
  const start = async (o: FakeOrigin) => {
    for (const f of stack.originStarted) await f(o);
  };
  const hits = () =>
    ofType(history.events, 'fault')
      .filter((e) => e.phase === 'hit')
      .map((e) => [e.fault, e.label]);
  return { ctx, stack, history, start, restarts, hits };
}

function deferred() {
  const { promise, resolve, reject } = Promise.withResolvers<void>();
  return { promise, resolve: () => resolve(), reject };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** Whether a promise has settled yet (after the pending microtasks ran). */
async function isDone(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await settle();
  return done;
}

const REFUSE = { kind: 'refuse' };
const PASS = { kind: 'pass' };

describe('FAULTS: origin faults', () => {
  it('registers each origin fault with area origin, found by its name', () => {
    const origin = [originRefuse, originSlowStart, originKill, originLatency, originReset, originRestart];
    expect(FAULTS.filter((f) => f.area === 'origin').map((f) => f.name)).toEqual(expect.arrayContaining(origin.map((f) => f.name)));
    for (const f of origin) {
      expect(f.area).toBe('origin');
      expect(faultKind(f.name)).toBe(f);
      expect(f.description.length).toBeGreaterThan(40);
    }
  });

  it('ActiveFaults records an origin fault inject with area origin and its label', async () => {
    const { ctx, history } = fakeCtx({ live: [fakeOrigin('a-1')] });
    const faults = new ActiveFaults(() => ctx);
    await faults.inject('origin-latency', { ms: 250 });
    await faults.inject('origin-kill', { target: 'B' }, 'kill-b');
    expect(ofType(history.events, 'fault').map((e) => [e.phase, e.id, e.fault, e.area, e.label])).toEqual([
      ['inject', 'origin-latency', 'origin-latency', 'origin', 'origins (all) answer 250 ms late'],
      ['inject', 'kill-b', 'origin-kill', 'origin', 'origins (B) killed mid-request, restarted after 3000 ms'],
    ]);
    await expect(faults.inject('origin-refuse', { target: 'b' })).rejects.toThrow();
    await faults.healAll();
    expect(faults.ids).toEqual([]);
  });
});

describe('origin fault params and labels', () => {
  it('origin-refuse: the new release until healed by default; forMs an integer within 0..600 s; strict', () => {
    const p = originRefuse.params.parse({});
    expect(p).toEqual({ target: 'new', forMs: 0 });
    expect(originRefuse.label(p)).toBe('origins (new) refuse connections');
    expect(originRefuse.label({ target: 'B', forMs: 500 })).toBe('origins (B) refuse connections for 500 ms');
    expect(originRefuse.params.parse({ target: 'all', forMs: 600_000 })).toEqual({ target: 'all', forMs: 600_000 });
    for (const bad of [
      { forMs: -1 },
      { forMs: 600_001 },
      { forMs: 1.5 },
      { forMs: '5' },
      { target: 'b' },
      { target: 'old' },
      { ms: 5 },
      { target: 'new', extra: true },
    ]) {
      expect(originRefuse.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('origin-slow-start: 3 s by default; within 100 ms..120 s; no target (always the new release)', () => {
    const p = originSlowStart.params.parse({});
    expect(p).toEqual({ ms: 3_000 });
    expect(originSlowStart.label(p)).toBe('new origins listen 3000 ms after the reload');
    expect(originSlowStart.label({ ms: 250 })).toBe('new origins listen 250 ms after the reload');
    expect(originSlowStart.params.safeParse({ ms: 100 }).success).toBe(true);
    expect(originSlowStart.params.safeParse({ ms: 120_000 }).success).toBe(true);
    for (const bad of [{ ms: 99 }, { ms: 120_001 }, { ms: 150.5 }, { target: 'all' }, { forMs: 100 }]) {
      expect(originSlowStart.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('origin-kill: the new release, restarted after 3 s by default; 0 means at heal; strict', () => {
    const p = originKill.params.parse({});
    expect(p).toEqual({ target: 'new', restartAfterMs: 3_000 });
    expect(originKill.label(p)).toBe('origins (new) killed mid-request, restarted after 3000 ms');
    expect(originKill.label({ target: 'B', restartAfterMs: 0 })).toBe('origins (B) killed mid-request, restarted at heal');
    expect(originKill.params.safeParse({ restartAfterMs: 0 }).success).toBe(true);
    expect(originKill.params.safeParse({ restartAfterMs: 600_000 }).success).toBe(true);
    for (const bad of [
      { restartAfterMs: -1 },
      { restartAfterMs: 600_001 },
      { restartAfterMs: 0.5 },
      { target: 'AB' },
      { signal: 'SIGTERM' },
    ]) {
      expect(originKill.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('origin-latency: all origins, 1 s by default; within 1 ms..60 s; strict', () => {
    const p = originLatency.params.parse({});
    expect(p).toEqual({ target: 'all', ms: 1_000 });
    expect(originLatency.label(p)).toBe('origins (all) answer 1000 ms late');
    expect(originLatency.label({ target: 'A', ms: 5 })).toBe('origins (A) answer 5 ms late');
    expect(originLatency.params.safeParse({ ms: 1 }).success).toBe(true);
    expect(originLatency.params.safeParse({ ms: 60_000 }).success).toBe(true);
    for (const bad of [{ ms: 0 }, { ms: 60_001 }, { ms: 2.5 }, { target: 'a' }, { forMs: 5 }]) {
      expect(originLatency.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('origin-reset: the new release, half the connections by default; probability within 0..1; strict', () => {
    const p = originReset.params.parse({});
    expect(p).toEqual({ target: 'new', probability: 0.5, after: 0 });
    expect(originReset.label(p)).toBe('origins (new) reset 50 % of connections mid-answer');
    expect(originReset.label({ target: 'all', probability: 0.333, after: 0 })).toBe('origins (all) reset 33 % of connections mid-answer');
    expect(originReset.label({ target: 'B', probability: 1, after: 1 })).toBe(
      'origins (B) reset 100 % of connections mid-answer after the first 1',
    );
    expect(originReset.params.safeParse({ probability: 0 }).success).toBe(true);
    expect(originReset.params.safeParse({ probability: 1 }).success).toBe(true);
    for (const bad of [{ probability: -0.01 }, { probability: 1.01 }, { probability: '0.5' }, { target: '' }, { p: 0.5 }]) {
      expect(originReset.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('origin-refuse', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('refuses the targeted live origins until healed when forMs is 0', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx } = fakeCtx({ live: [a, b] });
    const heal = await originRefuse.inject(ctx, { target: 'all', forMs: 0 });
    expect(a.sets).toEqual([REFUSE]);
    expect(b.sets).toEqual([REFUSE]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(a.sets).toEqual([REFUSE]);
    await heal();
    expect(a.sets).toEqual([REFUSE, PASS]);
    expect(b.sets).toEqual([REFUSE, PASS]);
  });

  it('by default leaves live origins alone and refuses one started later', async () => {
    const a = fakeOrigin('a-1');
    const { ctx, start } = fakeCtx({ live: [a] });
    const heal = await originRefuse.inject(ctx, originRefuse.params.parse({}));
    const b = fakeOrigin('b-2');
    await start(b);
    expect(a.sets).toEqual([]);
    expect(b.sets).toEqual([REFUSE]);
    await heal();
    expect(a.sets).toEqual([]);
    expect(b.sets).toEqual([REFUSE, PASS]);
    const c = fakeOrigin('c-3');
    await start(c);
    expect(c.sets).toEqual([]);
  });

  it('with forMs passes again forMs after it reached the origin', async () => {
    const { ctx, start } = fakeCtx({ live: [fakeOrigin('a-1')] });
    const heal = await originRefuse.inject(ctx, { target: 'new', forMs: 1_000 });
    await vi.advanceTimersByTimeAsync(5_000); // the clock starts when an origin starts, not at inject
    const b = fakeOrigin('b-2');
    await start(b);
    expect(b.sets).toEqual([REFUSE]);
    await vi.advanceTimersByTimeAsync(999);
    expect(b.sets).toEqual([REFUSE]);
    await vi.advanceTimersByTimeAsync(1);
    expect(b.sets).toEqual([REFUSE, PASS]);
    await heal();
    expect(b.sets.at(-1)).toEqual(PASS);
  });

  it('a version target with forMs refuses only that version, then passes', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx } = fakeCtx({ live: [a, b] });
    const heal = await originRefuse.inject(ctx, { target: 'B', forMs: 200 });
    expect(a.sets).toEqual([]);
    expect(b.sets).toEqual([REFUSE]);
    await vi.advanceTimersByTimeAsync(200);
    expect(b.sets).toEqual([REFUSE, PASS]);
    expect(a.sets).toEqual([]);
    await heal();
    expect(a.sets).toEqual([]);
  });

  it('heal before forMs clears the timer and passes at once', async () => {
    const { ctx, start } = fakeCtx();
    const heal = await originRefuse.inject(ctx, { target: 'new', forMs: 1_000 });
    const b = fakeOrigin('b-2');
    await start(b);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    await heal();
    expect(b.sets).toEqual([REFUSE, PASS]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(b.sets).toEqual([REFUSE, PASS]);
  });
});

describe('origin-slow-start', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('refuses each new origin for ms, then passes; live origins are untouched', async () => {
    const a = fakeOrigin('a-1');
    const { ctx, start, stack } = fakeCtx({ live: [a] });
    const heal = await originSlowStart.inject(ctx, { ms: 250 });
    expect(a.sets).toEqual([]);
    const b = fakeOrigin('b-2');
    await start(b);
    expect(b.sets).toEqual([REFUSE]);
    await vi.advanceTimersByTimeAsync(249);
    expect(b.sets).toEqual([REFUSE]);
    await vi.advanceTimersByTimeAsync(1);
    expect(b.sets).toEqual([REFUSE, PASS]);
    await heal();
    expect(stack.originStarted.size).toBe(0);
    expect(a.sets).toEqual([]);
  });

  it('heal before ms passes at once and leaves no timer', async () => {
    const { ctx, start } = fakeCtx();
    const heal = await originSlowStart.inject(ctx, { ms: 3_000 });
    const b = fakeOrigin('b-2');
    await start(b);
    await heal();
    expect(b.sets).toEqual([REFUSE, PASS]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('origin-latency', () => {
  it('delays the targeted origins by ms, now and later, and heal passes them again', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx, start } = fakeCtx({ live: [a, b] });
    const heal = await originLatency.inject(ctx, { target: 'A', ms: 200 });
    expect(a.sets).toEqual([{ kind: 'latency', ms: 200 }]);
    expect(b.sets).toEqual([]);
    const a2 = fakeOrigin('a-1');
    const c = fakeOrigin('c-3');
    await start(a2);
    await start(c);
    expect(a2.sets).toEqual([{ kind: 'latency', ms: 200 }]);
    expect(c.sets).toEqual([]);
    await heal();
    expect(a.sets).toEqual([{ kind: 'latency', ms: 200 }, PASS]);
    expect(a2.sets).toEqual([{ kind: 'latency', ms: 200 }, PASS]);
    expect(b.sets).toEqual([]);
    expect(c.sets).toEqual([]);
  });

  it('by default delays every live origin', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx } = fakeCtx({ live: [a, b] });
    const heal = await originLatency.inject(ctx, originLatency.params.parse({}));
    expect([a.sets, b.sets]).toEqual([[{ kind: 'latency', ms: 1_000 }], [{ kind: 'latency', ms: 1_000 }]]);
    await heal();
    expect([a.sets.at(-1), b.sets.at(-1)]).toEqual([PASS, PASS]);
  });
});

describe('origin-reset', () => {
  /** Injects origin-reset on every live origin and returns a's installed hit(). */
  async function installed(probability: number, seed = 42, after = 0) {
    const a = fakeOrigin('a-1');
    const f = fakeCtx({ live: [a], seed });
    const heal = await originReset.inject(f.ctx, { target: 'all', probability, after });
    const b = a.sets[0];
    if (b?.kind !== 'reset') throw new Error(`expected a reset behaviour, got ${JSON.stringify(b)}`);
    return { ...f, a, heal, hit: b.hit };
  }
  const draws = (hit: () => boolean, n: number) => Array.from({ length: n }, () => hit());

  it('probability 1 resets every connection and records each as a hit', async () => {
    const { hit, history, hits, a, heal } = await installed(1);
    expect(a.sets).toHaveLength(1);
    expect(draws(hit, 5)).toEqual([true, true, true, true, true]);
    expect(hits()).toEqual(Array(5).fill(['origin-reset', 'reset a connection to a-1 mid-answer']));
    expect(ofType(history.events, 'fault').every((e) => e.area === 'origin' && e.id === 'origin-reset')).toBe(true);
    await heal();
    expect(a.sets.at(-1)).toEqual(PASS);
  });

  it('answers the first `after` connections whole, then draws for each one', async () => {
    const { hit } = await installed(1, 42, 2);
    expect([hit(), hit(), hit(), hit()]).toEqual([false, false, true, true]);
  });

  it('probability 0 never resets and records nothing', async () => {
    const { hit, history } = await installed(0);
    expect(draws(hit, 200).some(Boolean)).toBe(false);
    expect(history.events).toEqual([]);
  });

  it('draws from ctx.rng: the same seed gives the same hits, another seed others', async () => {
    const one = await installed(0.5, 42);
    const two = await installed(0.5, 42);
    const other = await installed(0.5, 43);
    const seq = draws(one.hit, 60);
    expect(draws(two.hit, 60)).toEqual(seq);
    expect(draws(other.hit, 60)).not.toEqual(seq);
    // Exactly the run rng's own chance() sequence: no other source of randomness.
    const rng = createRng(42);
    expect(seq).toEqual(Array.from({ length: 60 }, () => rng.chance(0.5)));
    const yes = seq.filter(Boolean).length;
    expect(yes).toBeGreaterThan(10);
    expect(yes).toBeLessThan(50);
    expect(one.hits()).toHaveLength(yes);
  });

  it('the default targets only origins started later', async () => {
    const a = fakeOrigin('a-1');
    const { ctx, start } = fakeCtx({ live: [a] });
    const heal = await originReset.inject(ctx, originReset.params.parse({}));
    const b = fakeOrigin('b-2');
    await start(b);
    expect(a.sets).toEqual([]);
    expect(b.sets).toEqual([{ kind: 'reset', hit: expect.any(Function) }]);
    await heal();
    expect(b.sets.at(-1)).toEqual(PASS);
    expect(a.sets).toEqual([]);
  });
});

describe('origin-kill', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const KILLED = (id: string) => ['origin-kill', `SIGKILL to ${id} with a request in flight`];
  const RESTARTED = (id: string) => ['origin-kill', `process manager restarted ${id}`];

  it('installs onRequest on the targeted origins only and kills nothing until a request arrives', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx, restarts, hits } = fakeCtx({ live: [a, b] });
    const heal = await originKill.inject(ctx, { target: 'B', restartAfterMs: 1_000 });
    expect(a.layer.onRequest).toBeUndefined();
    expect(b.layer.onRequest).toBeTypeOf('function');
    expect(b.sets).toEqual([]); // the layer keeps passing: the kill is the fault
    await vi.advanceTimersByTimeAsync(60_000);
    expect(b.kills).toEqual([]);
    expect(restarts).toEqual([]);
    expect(hits()).toEqual([]);
    await heal();
    expect(b.layer.onRequest).toBeUndefined();
    expect(restarts).toEqual([]);
  });

  it('the first request kills with SIGKILL, once; the process manager restarts after restartAfterMs', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx, restarts, hits } = fakeCtx({ live: [a, b] });
    const heal = await originKill.inject(ctx, { target: 'all', restartAfterMs: 1_000 });
    a.layer.onRequest?.();
    expect(a.kills).toEqual(['SIGKILL']);
    expect(a.layer.onRequest).toBeUndefined();
    expect(hits()).toEqual([KILLED('a-1')]);
    a.layer.onRequest?.(); // the layer's next request: nothing installed any more
    expect(a.kills).toEqual(['SIGKILL']);
    expect(b.kills).toEqual([]);
    expect(b.layer.onRequest).toBeTypeOf('function');

    await vi.advanceTimersByTimeAsync(999);
    expect(restarts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(restarts).toEqual(['a-1']);
    expect(hits()).toEqual([KILLED('a-1'), RESTARTED('a-1')]);

    await heal();
    expect(restarts).toEqual(['a-1']); // already restarted: the heal does not restart it again
    expect(b.layer.onRequest).toBeUndefined();
    expect(hits()).toEqual([KILLED('a-1'), RESTARTED('a-1')]);
  });

  it('default target: a live origin is not killed, a new one is', async () => {
    const a = fakeOrigin('a-1');
    const { ctx, start, restarts, hits } = fakeCtx({ live: [a] });
    const heal = await originKill.inject(ctx, originKill.params.parse({}));
    expect(a.layer.onRequest).toBeUndefined();
    const b = fakeOrigin('b-2');
    await start(b);
    b.layer.onRequest?.();
    expect(b.kills).toEqual(['SIGKILL']);
    await vi.advanceTimersByTimeAsync(3_000);
    await settle();
    expect(restarts).toEqual(['b-2']);
    expect(hits()).toEqual([KILLED('b-2'), RESTARTED('b-2')]);
    await heal();
    expect(restarts).toEqual(['b-2']);
  });

  it('the restart timer starts once the kill is done', async () => {
    const exited = deferred();
    const b = fakeOrigin('b-2', () => exited.promise);
    const { ctx, restarts } = fakeCtx({ live: [b] });
    const heal = await originKill.inject(ctx, { target: 'B', restartAfterMs: 1_000 });
    b.layer.onRequest?.();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(restarts).toEqual([]);
    exited.resolve();
    await settle();
    await vi.advanceTimersByTimeAsync(999);
    expect(restarts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(restarts).toEqual(['b-2']);
    await heal();
    expect(restarts).toEqual(['b-2']);
  });

  it('restartAfterMs 0: nothing restarts until heal, and heal waits for the restart', async () => {
    const b = fakeOrigin('b-2');
    const restarted = deferred();
    const { ctx, restarts, hits } = fakeCtx({ live: [b], restart: () => restarted.promise });
    const heal = await originKill.inject(ctx, { target: 'all', restartAfterMs: 0 });
    b.layer.onRequest?.();
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(restarts).toEqual([]);
    expect(hits()).toEqual([KILLED('b-2')]);

    const healing = heal();
    expect(await isDone(healing)).toBe(false);
    expect(restarts).toEqual(['b-2']);
    expect(hits()).toEqual([KILLED('b-2')]);
    restarted.resolve();
    await healing;
    expect(restarts).toEqual(['b-2']);
    expect(hits()).toEqual([KILLED('b-2'), RESTARTED('b-2')]);
  });

  it('heal before the timer fires restarts once, not twice', async () => {
    const b = fakeOrigin('b-2');
    const { ctx, restarts, hits } = fakeCtx({ live: [b] });
    const heal = await originKill.inject(ctx, { target: 'B', restartAfterMs: 5_000 });
    b.layer.onRequest?.();
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await heal();
    expect(restarts).toEqual(['b-2']);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(restarts).toEqual(['b-2']);
    expect(hits()).toEqual([KILLED('b-2'), RESTARTED('b-2')]);
  });

  it('heal while the kill is still in flight restarts once, not again when the kill completes', async () => {
    const exited = deferred();
    const b = fakeOrigin('b-2', () => exited.promise);
    const { ctx, restarts } = fakeCtx({ live: [b] });
    const heal = await originKill.inject(ctx, { target: 'B', restartAfterMs: 1_000 });
    b.layer.onRequest?.();
    await heal();
    expect(restarts).toEqual(['b-2']);
    exited.resolve();
    await settle();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(restarts).toEqual(['b-2']);
  });

  it('heal restarts every killed origin, and a healed origin is never killed', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const c = fakeOrigin('c-3');
    const { ctx, start, restarts } = fakeCtx({ live: [a, b] });
    const heal: Heal = await originKill.inject(ctx, { target: 'all', restartAfterMs: 0 });
    a.layer.onRequest?.();
    b.layer.onRequest?.();
    await start(c);
    await settle();
    await heal();
    expect(restarts.sort()).toEqual(['a-1', 'b-2']);
    expect(c.layer.onRequest).toBeUndefined();
    expect(c.kills).toEqual([]);
    const d = fakeOrigin('d-4');
    await start(d);
    expect(d.layer.onRequest).toBeUndefined();
  });

  it('a restart that fails is recorded as failed, not as restarted', async () => {
    const b = fakeOrigin('b-2');
    const { ctx, restarts, hits } = fakeCtx({
      live: [b],
      restart: async () => {
        throw new Error('no origin b-2 behind a fault layer to restart');
      },
    });
    const heal = await originKill.inject(ctx, { target: 'B', restartAfterMs: 100 });
    b.layer.onRequest?.();
    await settle();
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(restarts).toEqual(['b-2']);
    expect(hits()).toEqual([KILLED('b-2'), ['origin-kill', 'restarting b-2 failed: no origin b-2 behind a fault layer to restart']]);
    await heal();
    expect(restarts).toEqual(['b-2']);
  });
});

describe('origin-restart', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const RESTARTED = (id: string) => ['origin-restart', `process manager restarted ${id}`];

  it('params: every origin, at once, by default; afterMs within 0..600 s; strict; label', () => {
    expect(originRestart.params.parse({})).toEqual({ target: 'all', afterMs: 0 });
    for (const bad of [{ afterMs: -1 }, { afterMs: 600_001 }, { target: 'b' }, { ms: 5 }]) {
      expect(originRestart.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(originRestart.label({ target: 'all', afterMs: 0 })).toBe('origins (all) restarted by the process manager');
    expect(originRestart.label({ target: 'new', afterMs: 500 })).toBe(
      'origins (new) restarted by the process manager 500 ms after it reaches them',
    );
  });

  it('restarts the targeted live origins at injection, each once, and records it', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx, restarts, hits } = fakeCtx({ live: [a, b] });
    const heal = await originRestart.inject(ctx, { target: 'B', afterMs: 0 });
    expect(restarts).toEqual(['b-2']);
    expect(hits()).toEqual([RESTARTED('b-2')]);
    expect(a.sets).toEqual([]); // the layer keeps passing: the restart is the fault
    await heal();
    expect(restarts).toEqual(['b-2']);
  });

  it('with afterMs restarts a new origin that long after it started; heal before that cancels it', async () => {
    const { ctx, start, restarts, hits } = fakeCtx();
    const heal = await originRestart.inject(ctx, { target: 'new', afterMs: 1_000 });
    await start(fakeOrigin('b-2'));
    await vi.advanceTimersByTimeAsync(999);
    expect(restarts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(restarts).toEqual(['b-2']);
    expect(hits()).toEqual([RESTARTED('b-2')]);
    await start(fakeOrigin('c-3'));
    await heal();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(restarts).toEqual(['b-2']);
  });

  it('a restart that fails (the release cannot start any more) is recorded as failed', async () => {
    const { ctx, hits } = fakeCtx({
      live: [fakeOrigin('b-2')],
      restart: async () => {
        throw new Error('next start exited: the release has no .next/BUILD_ID');
      },
    });
    await originRestart.inject(ctx, { target: 'all', afterMs: 0 });
    expect(hits()).toEqual([['origin-restart', 'restarting b-2 failed: next start exited: the release has no .next/BUILD_ID']]);
  });
});
