import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { History, ofType } from '../core/history.ts';
import { fakeAction, touch, until } from '../../test/storage-faults.ts';
import type { FaultContext } from './fault.ts';
import { heldName, holdUploads, TEMP_NAME, unheld, type HoldPolicy } from './storage-hold.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skew-storage-hold-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A deployer action that is never paused: the hold must work without freezing it. */
const fakeDeployer = () => fakeAction(false);

/** Only what holdUploads touches: the history recordHit appends to. */
function fakeCtx() {
  const history = new History();
  return { history, ctx: { history } as unknown as FaultContext };
}

/** A policy that holds paths containing `under` for `ms`, recording what it was told. */
function policy(ms: number, under = '/static/') {
  const wrote: number[] = [];
  const heldAts: number[] = [];
  const p: HoldPolicy = {
    holds: (f) => f.includes(under),
    wrote: (t) => void wrote.push(t),
    visibleAt: (heldAt) => {
      heldAts.push(heldAt);
      return heldAt + ms;
    },
  };
  return { p, wrote, heldAts };
}

/** Starts a watch and returns once it has taken its first look (files before that are "already there"). */
async function watching(hold: ReturnType<typeof holdUploads>, root: string) {
  const d = fakeDeployer();
  const stop = hold.watch(root, d.handle);
  await until(() => d.stops() >= 1, 'the first slice');
  /** Stops the watch and waits until its stepping ended (the SIGCONT it always sends then). */
  const stopped = async () => {
    stop();
    await until(() => d.signals.includes('SIGCONT'), 'the watch to end');
  };
  /** Lets `n` more slices run. */
  const slices = async (n: number) => {
    const target = d.stops() + n;
    await until(() => d.stops() >= target, `${n} more slices`);
  };
  return { d, stopped, slices };
}

/** Every test ends released: no poll keeps running after the directory is gone. */
const holds: ReturnType<typeof holdUploads>[] = [];
afterEach(async () => {
  for (const h of holds.splice(0)) await h.release();
});
function hold(ctx: FaultContext, p: HoldPolicy) {
  const h = holdUploads(ctx, 'storage-visible-late', p);
  holds.push(h);
  return h;
}

describe('heldName / unheld', () => {
  it('round-trips the sequence number and the original name, dots and dashes included', () => {
    for (const [n, name] of [
      [1, 'a.js'],
      [42, 'page-abc.123.css'],
      [7, '.hidden'],
      [3, heldName(2, 'x.js')],
    ] as const) {
      expect(heldName(n, name)).toMatch(/^\.skew-held-\d+-/);
      expect(unheld(heldName(n, name))).toEqual({ n, name });
    }
  });

  it('rejects every other name (undefined), so a real file is never taken for a held one', () => {
    for (const name of [
      'a.js',
      '.skew-held-',
      '.skew-held-1-',
      '.skew-held--a.js',
      '.skew-held-x-a.js',
      'x.skew-held-1-a.js',
      'skew-held-1-a.js',
      '.skew-held-1a.js',
    ]) {
      expect(unheld(name), name).toBeUndefined();
    }
  });
});

describe('TEMP_NAME (rsync writes `.name.XXXXXX`, then renames it)', () => {
  it('matches a dot-name with a six-character suffix, as a basename only', () => {
    for (const f of ['/r/.a.js.AbC123', '.BUILD_ID.xY12ab', '/r/.next/static/chunks/.page-1.js.Zz9Zz9'])
      expect(TEMP_NAME.test(f), f).toBe(true);
    for (const f of [
      '/r/a.js',
      '/r/.a.js.AbC12',
      '/r/.a.js.AbC1234',
      '/r/.a.js.AbC-12',
      '/r/.tmp.AbC123/a.js',
      '/r/.next/static/chunks/a.js',
      '/r/x.a.js.AbC123',
    ])
      expect(TEMP_NAME.test(f), f).toBe(false);
  });
});

describe('holdUploads', () => {
  it('never holds files that were there before the watch, and calls nothing on the policy for them', async () => {
    const { ctx, history } = fakeCtx();
    const { p, wrote } = policy(60_000);
    const old = await touch(join(dir, 'releases/A/.next/static/chunks/old.js'));
    const h = hold(ctx, p);
    const w = await watching(h, dir);
    await w.slices(5);
    await w.stopped();
    expect(existsSync(old)).toBe(true);
    expect(h.counts).toEqual({ held: 0, shown: 0 });
    expect(wrote).toEqual([]);
    // Nothing held: no hit in the history.
    expect(ofType(history.events, 'fault')).toEqual([]);
  });

  it('renames a new matching file to a hidden name in its own directory and gives it back its name once due', async () => {
    const { ctx } = fakeCtx();
    const ms = 150;
    const { p, heldAts } = policy(ms);
    const h = hold(ctx, p);
    const w = await watching(h, dir);
    const file = join(dir, 'releases/B/.next/static/chunks/new.js');
    await touch(file, 'chunk body');
    const hidden = join(dirname(file), heldName(1, 'new.js'));
    // The count goes up just after the rename resolves: wait for both.
    await until(() => existsSync(hidden) && h.counts.held === 1, 'the file to be held');
    expect(existsSync(file)).toBe(false);
    await until(() => existsSync(file), 'the file to come back', 5000);
    const shownAt = Date.now();
    // Not before it was due, and with what was written into it.
    expect(heldAts.length).toBeGreaterThan(0);
    expect(shownAt).toBeGreaterThanOrEqual(heldAts[0]! + ms);
    expect(await readFile(file, 'utf8')).toBe('chunk body');
    expect(existsSync(hidden)).toBe(false);
    // Shown during the watch: it is not taken for a new upload and held again.
    await w.slices(10);
    expect(existsSync(file)).toBe(true);
    expect(h.counts).toEqual({ held: 1, shown: 1 });
    await w.stopped();
  });

  it('leaves a file the policy does not hold visible and tells the policy it was written', async () => {
    const { ctx } = fakeCtx();
    const { p, wrote } = policy(60_000);
    const h = hold(ctx, p);
    const w = await watching(h, dir);
    const before = w.d.lastStop();
    const html = await touch(join(dir, 'releases/B/.next/server/app/index.html'));
    await until(() => wrote.length > 0, 'policy.wrote');
    await w.slices(3);
    expect(existsSync(html)).toBe(true);
    expect(h.counts.held).toBe(0);
    // Once per write, with the time of the slice that saw it.
    expect(wrote).toHaveLength(1);
    expect(wrote[0]!).toBeGreaterThanOrEqual(before);
    expect(wrote[0]!).toBeLessThanOrEqual(Date.now());
    await w.stopped();
  });

  it("ignores rsync's temp name and holds the file once it is renamed to its final name", async () => {
    const { ctx } = fakeCtx();
    const { p, wrote } = policy(60_000);
    const h = hold(ctx, p);
    const w = await watching(h, dir);
    const chunks = join(dir, 'releases/B/.next/static/chunks');
    const temp = await touch(join(chunks, '.a.js.AbC123'));
    await w.slices(5);
    expect(existsSync(temp)).toBe(true);
    expect(h.counts.held).toBe(0);
    expect(wrote).toEqual([]);
    await rename(temp, join(chunks, 'a.js'));
    await until(() => existsSync(join(chunks, heldName(1, 'a.js'))) && h.counts.held === 1, 'the final name to be held');
    await w.stopped();
  });

  it('shows a held file at its new place when its release directory was renamed into place', async () => {
    const { ctx } = fakeCtx();
    const ms = 300;
    const { p } = policy(ms);
    const h = hold(ctx, p);
    const w = await watching(h, dir);
    await touch(join(dir, 'releases/B.tmp/.next/static/chunks/a.js'));
    await until(
      () => existsSync(join(dir, 'releases/B.tmp/.next/static/chunks', heldName(1, 'a.js'))) && h.counts.held === 1,
      'the file to be held',
    );
    await rename(join(dir, 'releases/B.tmp'), join(dir, 'releases/B'));
    const final = join(dir, 'releases/B/.next/static/chunks/a.js');
    await until(() => existsSync(final) && h.counts.shown === 1, 'the file at its new place', 5000);
    expect(existsSync(join(dir, 'releases/B.tmp'))).toBe(false);
    expect(existsSync(join(dirname(final), heldName(1, 'a.js')))).toBe(false);
    expect(h.counts).toEqual({ held: 1, shown: 1 });
    await w.stopped();
  });

  it('release() shows every held file at once, due or not', async () => {
    const { ctx } = fakeCtx();
    const { p } = policy(600_000);
    const h = hold(ctx, p);
    const w = await watching(h, dir);
    const files = [join(dir, 'B/.next/static/chunks/a.js'), join(dir, 'B/.next/static/css/b.css')];
    for (const f of files) await touch(f);
    await until(() => h.counts.held === 2, 'both files to be held');
    await w.stopped();
    expect(files.map((f) => existsSync(f))).toEqual([false, false]);
    await h.release();
    expect(files.map((f) => existsSync(f))).toEqual([true, true]);
    expect(h.counts).toEqual({ held: 2, shown: 2 });
  });

  it('still shows held files on time after the watch was stopped (the action ended)', async () => {
    const { ctx } = fakeCtx();
    const ms = 500;
    const { p, heldAts } = policy(ms);
    const h = hold(ctx, p);
    const w = await watching(h, dir);
    const heldNotBefore = w.d.lastStop();
    const file = await touch(join(dir, 'B/.next/static/chunks/late.js'));
    await until(() => h.counts.held === 1, 'the file to be held');
    await w.stopped();
    // The action ended before the file was due: it is still hidden right after (checked only
    // while surely not due yet, so a slow machine cannot make this fail).
    if (Date.now() < heldNotBefore + ms) expect(existsSync(file)).toBe(false);
    await until(() => existsSync(file) && h.counts.shown === 1, 'the file to come back after the watch', 5000);
    expect(Date.now()).toBeGreaterThanOrEqual(heldAts[0]! + ms);
  });

  it('records a `fault` hit naming how many files were held when the watch ends', async () => {
    const { ctx, history } = fakeCtx();
    const { p } = policy(600_000);
    const h = hold(ctx, p);
    const w = await watching(h, dir);
    await touch(join(dir, 'B/.next/static/chunks/a.js'));
    await touch(join(dir, 'B/.next/server/page.js'));
    await until(() => h.counts.held === 1, 'the static file to be held');
    await w.slices(3);
    expect(ofType(history.events, 'fault')).toEqual([]);
    await w.stopped();
    const hits = ofType(history.events, 'fault');
    expect(hits.map(({ t: _t, ...e }) => e)).toEqual([
      {
        type: 'fault',
        fault: 'storage-visible-late',
        id: 'storage-visible-late',
        area: 'storage',
        phase: 'hit',
        label: 'the store held back 1 uploaded file(s) of the action; 0 shown by its end',
      },
    ]);
  });
});
