import { describe, expect, it } from 'vitest';
import { History, ofType } from '../core/history.ts';
import type { LayerBehaviour } from '../stack/fault-layer.ts';
import type { LiveOrigin } from '../stack/stack.ts';
import { onOrigins, originTarget } from './origin-target.ts';
import { recordHit } from './fault.ts';
import { createRng } from './rng.ts';

/** An origin as the stack hands it to faults: a fake process and a fake fault layer that record what they were told. */
interface FakeOrigin {
  deploymentId: string;
  origin: { kill(signal: NodeJS.Signals): Promise<void> };
  layer: { set(b: LayerBehaviour): Promise<void>; onRequest: (() => void) | undefined };
  sets: LayerBehaviour[];
}

function fakeOrigin(deploymentId: string): FakeOrigin {
  const sets: LayerBehaviour[] = [];
  return { deploymentId, sets, origin: { kill: async () => {} }, layer: { set: async (b) => void sets.push(b), onRequest: undefined } };
}

/** The smallest FaultContext an origin fault uses: the stack's origins and hooks, the builds, history and rng. */
function fakeCtx({ live = [] as FakeOrigin[] } = {}) {
  const stack = {
    liveOrigins: () => live,
    originStarted: new Set<(o: FakeOrigin) => void | Promise<void>>(),
    restartOrigin: async () => {},
  };
  const history = new History();
  const ctx = { stack, builds: { A: { deploymentId: 'a-1' }, B: { deploymentId: 'b-2' } }, history, rng: createRng(42) } as never;
  /** What Stack.startOrigin does once a new origin listens: every hook, in turn, awaited. */
  const start = async (o: FakeOrigin) => {
    for (const f of stack.originStarted) await f(o);
  };
  return { ctx, stack, history, start };
}

/** apply/undo that record which origins they were called with. */
function recorder() {
  const applied: string[] = [];
  const undone: string[] = [];
  const apply = async (o: LiveOrigin) => void applied.push(o.deploymentId);
  const undo = async (o: LiveOrigin) => void undone.push(o.deploymentId);
  return { applied, undone, apply, undo };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('originTarget', () => {
  it('takes new, all and one upper-case version letter', () => {
    for (const ok of ['new', 'all', 'A', 'B', 'Z']) expect(originTarget.parse(ok)).toBe(ok);
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'a', 'AB', 'old', 'NEW', 'All', ' A', 'A ', '1', 1, null, undefined]) {
      expect(originTarget.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('onOrigins', () => {
  it('new: a release that had an origin when the fault came is not new when its server starts again', async () => {
    const a = fakeOrigin('a-1');
    const { ctx, start } = fakeCtx({ live: [a] });
    const r = recorder();
    const heal = await onOrigins(ctx, 'new', r.apply, r.undo);
    // single-origin's process manager restarts A's server on a switch back, and starts B's for the first time
    await start(fakeOrigin('a-1'));
    await start(fakeOrigin('b-2'));
    expect(r.applied).toEqual(['b-2']);
    await heal();
    expect(r.undone).toEqual(['b-2']);
  });

  it('new: leaves the live origins alone, applies to those started later, and heal undoes only those', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx, stack, start } = fakeCtx({ live: [a, b] });
    const r = recorder();
    const heal = await onOrigins(ctx, 'new', r.apply, r.undo);
    expect(r.applied).toEqual([]);
    expect(stack.originStarted.size).toBe(1);
    await start(fakeOrigin('c-3'));
    await start(fakeOrigin('d-4'));
    expect(r.applied).toEqual(['c-3', 'd-4']);
    await heal();
    expect(r.undone).toEqual(['c-3', 'd-4']);
    expect(stack.originStarted.size).toBe(0);
    await start(fakeOrigin('e-5'));
    expect(r.applied).toEqual(['c-3', 'd-4']);
    expect(r.undone).toEqual(['c-3', 'd-4']);
  });

  it('all: applies to every live origin before it returns, and to those started later', async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx, start } = fakeCtx({ live: [a, b] });
    const r = recorder();
    const heal = await onOrigins(ctx, 'all', r.apply, r.undo);
    expect(r.applied).toEqual(['a-1', 'b-2']);
    await start(fakeOrigin('c-3'));
    expect(r.applied).toEqual(['a-1', 'b-2', 'c-3']);
    expect(r.undone).toEqual([]);
    await heal();
    expect(r.undone).toEqual(['a-1', 'b-2', 'c-3']);
  });

  it('passes the very origin objects to apply and undo (faults act on their layers)', async () => {
    const a = fakeOrigin('a-1');
    const { ctx, start } = fakeCtx({ live: [a] });
    const later = fakeOrigin('b-2');
    const heal = await onOrigins(
      ctx,
      'all',
      (o) => o.layer.set({ kind: 'refuse' }),
      (o) => o.layer.set({ kind: 'pass' }),
    );
    await start(later);
    await heal();
    expect(a.sets).toEqual([{ kind: 'refuse' }, { kind: 'pass' }]);
    expect(later.sets).toEqual([{ kind: 'refuse' }, { kind: 'pass' }]);
  });

  it("a version letter: only that version's deploymentId, now and later", async () => {
    const a = fakeOrigin('a-1');
    const b = fakeOrigin('b-2');
    const { ctx, start } = fakeCtx({ live: [a, b] });
    const r = recorder();
    const heal = await onOrigins(ctx, 'B', r.apply, r.undo);
    expect(r.applied).toEqual(['b-2']);
    await start(fakeOrigin('a-1'));
    await start(fakeOrigin('c-3'));
    expect(r.applied).toEqual(['b-2']);
    const restartedB = fakeOrigin('b-2');
    await start(restartedB);
    expect(r.applied).toEqual(['b-2', 'b-2']);
    await heal();
    expect(r.undone).toEqual(['b-2', 'b-2']);
  });

  it('a version letter with no live origin of its own applies only once one starts', async () => {
    const { ctx, start } = fakeCtx({ live: [fakeOrigin('b-2')] });
    const r = recorder();
    const heal = await onOrigins(ctx, 'A', r.apply, r.undo);
    expect(r.applied).toEqual([]);
    await start(fakeOrigin('a-1'));
    expect(r.applied).toEqual(['a-1']);
    await heal();
    expect(r.undone).toEqual(['a-1']);
  });

  it('an unknown version letter throws naming it, touching nothing', async () => {
    const { ctx, stack } = fakeCtx({ live: [fakeOrigin('a-1')] });
    const r = recorder();
    await expect(onOrigins(ctx, 'C', r.apply, r.undo)).rejects.toThrow("origin fault target C is not among the scenario's versions");
    await expect(onOrigins(ctx, 'Z', r.apply, r.undo)).rejects.toThrow(/target Z /);
    expect(r.applied).toEqual([]);
    expect(stack.originStarted.size).toBe(0);
  });

  it('the registered hook waits for apply on a matching origin (the stack awaits it before routing to it)', async () => {
    const { ctx, start } = fakeCtx();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const heal = await onOrigins(
      ctx,
      'new',
      () => gate,
      async () => {},
    );
    let started = false;
    const starting = start(fakeOrigin('b-2')).then(() => (started = true));
    await settle();
    expect(started).toBe(false);
    release();
    await starting;
    expect(started).toBe(true);
    await heal();
  });

  it('applies to live origins one after another, and resolves only after the last', async () => {
    const { ctx } = fakeCtx({ live: [fakeOrigin('a-1'), fakeOrigin('b-2')] });
    const order: string[] = [];
    const heal = await onOrigins(
      ctx,
      'all',
      async (o) => {
        order.push(`start ${o.deploymentId}`);
        await settle();
        order.push(`end ${o.deploymentId}`);
      },
      async () => {},
    );
    expect(order).toEqual(['start a-1', 'end a-1', 'start b-2', 'end b-2']);
    await heal();
  });

  it('heal removes only its own hook', async () => {
    const { ctx, stack, start } = fakeCtx();
    const one = recorder();
    const two = recorder();
    const healOne = await onOrigins(ctx, 'new', one.apply, one.undo);
    const healTwo = await onOrigins(ctx, 'new', two.apply, two.undo);
    expect(stack.originStarted.size).toBe(2);
    await healOne();
    expect(stack.originStarted.size).toBe(1);
    await start(fakeOrigin('c-3'));
    expect(one.applied).toEqual([]);
    expect(two.applied).toEqual(['c-3']);
    await healTwo();
    expect(stack.originStarted.size).toBe(0);
    expect(two.undone).toEqual(['c-3']);
  });
});

describe('recordHit', () => {
  it('appends an origin fault event with phase hit, the fault as its id', () => {
    const { ctx, history } = fakeCtx();
    recordHit(ctx, 'origin-kill', 'SIGKILL to b-2');
    recordHit(ctx, 'origin-reset', 'reset one');
    expect(ofType(history.events, 'fault')).toEqual([
      {
        t: expect.any(Number),
        type: 'fault',
        fault: 'origin-kill',
        id: 'origin-kill',
        area: 'origin',
        phase: 'hit',
        label: 'SIGKILL to b-2',
      },
      { t: expect.any(Number), type: 'fault', fault: 'origin-reset', id: 'origin-reset', area: 'origin', phase: 'hit', label: 'reset one' },
    ]);
    expect(history.events).toHaveLength(2);
  });
});
