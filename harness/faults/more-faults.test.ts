import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { History, ofType } from '../core/history.ts';
import type { PurgeReach } from '../stack/stack.ts';
import type { DeployerHandle } from '../steps/step.ts';
import { browserIdle } from './browser-idle.ts';
import { browserOffline } from './browser-offline.ts';
import { edgeEvict } from './edge-evict.ts';
import { purgePartial } from './purge-partial.ts';
import { storageKillAfter } from './storage-kill-after.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 5 ms, at most `ms` long; throws naming what never happened. */
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  for (let i = 0; i < ms / 5; i++) {
    if (cond()) return;
    await sleep(5);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skew-more-faults-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function touch(path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, 'x');
  return path;
}

describe('purge-partial', () => {
  /** A stack as purge-partial uses it: its locations, its reach and the late purges it flushes. */
  function fakeStack(locations: string[]) {
    const stack = {
      locations,
      purgeReach: (() => 'now') as (l: string) => PurgeReach,
      flushes: 0,
      flushLatePurges: async () => void stack.flushes++,
    };
    return { stack, ctx: { stack } as never };
  }

  it('defaults to never reaching the slow locations; delayMs within 0..600 s; strict', () => {
    expect(purgePartial.params.parse({})).toEqual({ delayMs: 0 });
    expect(purgePartial.params.parse({ locations: ['iad'], delayMs: 600_000 })).toEqual({ locations: ['iad'], delayMs: 600_000 });
    for (const bad of [
      { delayMs: -1 },
      { delayMs: 600_001 },
      { delayMs: 1.5 },
      { locations: [] },
      { locations: [''] },
      { location: 'iad' },
    ]) {
      expect(purgePartial.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(purgePartial.label({ delayMs: 0 })).toBe('purges reach all but the first location never');
    expect(purgePartial.label({ locations: ['iad', 'syd'], delayMs: 5000 })).toBe('purges reach iad, syd 5000 ms late');
  });

  it('makes every location but the first never see a purge by default', async () => {
    const { stack, ctx } = fakeStack(['fra', 'iad', 'syd']);
    await purgePartial.inject(ctx, { delayMs: 0 });
    expect(['fra', 'iad', 'syd'].map((l) => stack.purgeReach(l))).toEqual(['now', 'never', 'never']);
  });

  it('delays the named locations by delayMs, leaving the others at once', async () => {
    const { stack, ctx } = fakeStack(['fra', 'iad', 'syd']);
    await purgePartial.inject(ctx, { locations: ['iad'], delayMs: 6000 });
    expect(stack.purgeReach('fra')).toBe('now');
    expect(stack.purgeReach('iad')).toEqual({ delayMs: 6000 });
    expect(stack.purgeReach('syd')).toBe('now');
  });

  it('heals: every location at once again, and late purges flushed', async () => {
    const { stack, ctx } = fakeStack(['fra', 'iad']);
    const heal = await purgePartial.inject(ctx, { delayMs: 6000 });
    expect(stack.purgeReach('iad')).toEqual({ delayMs: 6000 });
    expect(stack.flushes).toBe(0);
    await heal();
    expect(stack.purgeReach('fra')).toBe('now');
    expect(stack.purgeReach('iad')).toBe('now');
    expect(stack.flushes).toBe(1);
  });

  it('throws for an unknown location, naming the known ones, and leaves the reach alone', async () => {
    const { stack, ctx } = fakeStack(['fra', 'iad']);
    await expect(purgePartial.inject(ctx, { locations: ['iad', 'lhr'], delayMs: 0 })).rejects.toThrow(
      'purge-partial: no edge location "lhr" (the scenario\'s: fra, iad)',
    );
    expect(stack.purgeReach('iad')).toBe('now');
  });

  it('throws on a single-location stack (nothing to be partial about)', async () => {
    const { stack, ctx } = fakeStack(['edge']);
    await expect(purgePartial.inject(ctx, { delayMs: 0 })).rejects.toThrow(
      'purge-partial needs a scenario with two or more edge locations',
    );
    expect(stack.purgeReach('edge')).toBe('now');
  });
});

describe('edge-evict', () => {
  const KEY_TAIL = (pin: string) => `|rsc=|prefetch=|segment=|dpl=${pin}|split=`;
  /** A cache entry as Edge.cacheEntries() lists it, backed by a real file. */
  async function entry(location: string, name: string, url: string, pin = '') {
    const file = await touch(join(dir, location, name));
    const u = new URL(url);
    return { file, key: `${url}${KEY_TAIL(pin)}`, hostPath: `${u.hostname}${u.pathname}${u.search}` };
  }
  const builds = {
    A: {
      deploymentId: 'a-1',
      assets: [
        { url: '/_next/static/chunks/a.js', kind: 'chunk' },
        { url: '/_next/static/css/a.css', kind: 'css' },
      ],
    },
    B: { deploymentId: 'b-2', assets: [{ url: '/_next/static/chunks/b.js', kind: 'chunk' }] },
  };
  const E = 'http://127.0.0.1:8080';

  async function setup() {
    const fra = {
      aChunk: await entry('fra', 'a-chunk', `${E}/_next/static/chunks/a.js`),
      aChunkQuery: await entry('fra', 'a-chunk-q', `${E}/_next/static/chunks/a.js?v=3`),
      sharedPinnedInUrl: await entry('fra', 'shared-url-pin', `${E}/_next/static/chunks/shared.js?dpl=a-1`),
      sharedPinnedInKey: await entry('fra', 'shared-key-pin', `${E}/_next/static/chunks/shared.js`, 'a-1'),
      htmlPinnedA: await entry('fra', 'html-a', `${E}/about`, 'a-1'),
      // Not under /_next/static/: an HTML page pinned to A stays, whatever its name.
      htmlNamedLikeAsset: await entry('fra', 'html-a-name', `${E}/a.js?dpl=a-1`, 'a-1'),
      bChunk: await entry('fra', 'b-chunk', `${E}/_next/static/chunks/b.js`, 'b-2'),
      bOtherPin: await entry('fra', 'b-shared', `${E}/_next/static/chunks/shared.js?dpl=a-10`),
    };
    const iad = {
      aCss: await entry('iad', 'a-css', `${E}/_next/static/css/a.css`),
      bChunk: await entry('iad', 'b-chunk', `${E}/_next/static/chunks/b.js?dpl=b-2`, 'b-2'),
    };
    const byLocation: Record<string, { file: string; key: string; hostPath: string }[]> = {
      fra: Object.values(fra),
      iad: Object.values(iad),
    };
    const asked: string[] = [];
    const stack = {
      locations: ['fra', 'iad'],
      edgeAt: (l: string) => ({
        cacheEntries: async () => {
          asked.push(l);
          return byLocation[l]!;
        },
      }),
    };
    const history = new History();
    return { fra, iad, asked, history, ctx: { stack, builds, history } as never };
  }

  it("evicts the version's static files at every location by asset path or dpl pin, keeping HTML and other versions' files", async () => {
    const { fra, iad, asked, history, ctx } = await setup();
    const heal = await edgeEvict.inject(ctx, edgeEvict.params.parse({}));
    expect(asked).toEqual(['fra', 'iad']);
    const gone = (e: { file: string }) => !existsSync(e.file);
    expect(gone(fra.aChunk)).toBe(true);
    expect(gone(fra.aChunkQuery)).toBe(true);
    expect(gone(fra.sharedPinnedInUrl)).toBe(true);
    expect(gone(fra.sharedPinnedInKey)).toBe(true);
    expect(gone(iad.aCss)).toBe(true);
    expect(gone(fra.htmlPinnedA)).toBe(false);
    expect(gone(fra.htmlNamedLikeAsset)).toBe(false);
    expect(gone(fra.bChunk)).toBe(false);
    expect(gone(fra.bOtherPin)).toBe(false);
    expect(gone(iad.bChunk)).toBe(false);
    expect(ofType(history.events, 'fault').map(({ fault, id, area, phase, label }) => ({ fault, id, area, phase, label }))).toEqual([
      { fault: 'edge-evict', id: 'edge-evict', area: 'edge', phase: 'hit', label: 'evicted 5 cached file(s) of A (a-1)' },
    ]);
    await heal(); // nothing to undo: the entries stay evicted
    expect(gone(fra.aChunk)).toBe(true);
  });

  it("evicts B's files when asked for B", async () => {
    const { fra, iad, history, ctx } = await setup();
    await edgeEvict.inject(ctx, { version: 'B' });
    expect([fra.bChunk, iad.bChunk].map((e) => existsSync(e.file))).toEqual([false, false]);
    expect([fra.aChunk, fra.sharedPinnedInKey, iad.aCss].map((e) => existsSync(e.file))).toEqual([true, true, true]);
    expect(ofType(history.events, 'fault')[0]!.label).toBe('evicted 2 cached file(s) of B (b-2)');
  });

  it('throws for a version that is not among the builds, recording nothing', async () => {
    const { history, ctx } = await setup();
    await expect(edgeEvict.inject(ctx, { version: 'C' })).rejects.toThrow("edge-evict: version C is not among the scenario's versions");
    expect(history.events).toEqual([]);
  });

  it('params: the first version by default, one capital letter only', () => {
    expect(edgeEvict.params.parse({})).toEqual({ version: 'A' });
    expect(edgeEvict.label({ version: 'B' })).toBe("edge cache full: B's static files evicted");
    for (const bad of [{ version: 'a' }, { version: 'AB' }, { version: '' }, { version: 'A', extra: 1 }]) {
      expect(edgeEvict.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('browser-offline', () => {
  function fakeSessions(...names: string[]) {
    const calls: [string, boolean][] = [];
    const sessions = new Map(names.map((n) => [n, { setOffline: async (v: boolean) => void calls.push([n, v]) }]));
    return { calls, ctx: { sessions } as never };
  }

  it('takes every open session offline when none is named, and back online at heal', async () => {
    const { calls, ctx } = fakeSessions('s1', 's2');
    const heal = await browserOffline.inject(ctx, {});
    expect(calls).toEqual([
      ['s1', true],
      ['s2', true],
    ]);
    await heal();
    expect(calls.slice(2)).toEqual([
      ['s1', false],
      ['s2', false],
    ]);
  });

  it('takes only the named sessions offline', async () => {
    const { calls, ctx } = fakeSessions('s1', 's2', 's3');
    const heal = await browserOffline.inject(ctx, { sessions: ['s3', 's1'] });
    expect(calls).toEqual([
      ['s3', true],
      ['s1', true],
    ]);
    await heal();
    expect(calls.slice(2)).toEqual([
      ['s3', false],
      ['s1', false],
    ]);
  });

  it('throws for an unknown session, listing the open ones, before touching any', async () => {
    const { calls, ctx } = fakeSessions('s1', 's2');
    await expect(browserOffline.inject(ctx, { sessions: ['s1', 'nope'] })).rejects.toThrow('no open session named "nope" (open: s1, s2)');
    expect(calls).toEqual([]);
    await expect(browserOffline.inject(fakeSessions().ctx, { sessions: ['s1'] })).rejects.toThrow('(open: none)');
  });

  it('params and label', () => {
    expect(browserOffline.params.parse({})).toEqual({});
    expect(browserOffline.label({})).toBe('every open session offline');
    expect(browserOffline.label({ sessions: ['s1', 's2'] })).toBe('s1, s2 offline');
    for (const bad of [{ sessions: [] }, { sessions: [''] }, { sessions: 's1' }, { session: ['s1'] }]) {
      expect(browserOffline.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

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

describe('storage-kill-after', () => {
  it('params: 60 files by default, 1..100000 whole files, a non-empty under; strict; label', () => {
    expect(storageKillAfter.params.parse({})).toEqual({ files: 60 });
    expect(storageKillAfter.params.parse({ files: 100_000, under: '/static/' })).toEqual({ files: 100_000, under: '/static/' });
    for (const bad of [{ files: 0 }, { files: 100_001 }, { files: 1.5 }, { files: '5' }, { under: '' }, { files: 5, after: 3 }]) {
      expect(storageKillAfter.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(storageKillAfter.label({ files: 60 })).toBe('the next deployer action is killed after 60 files');
    expect(storageKillAfter.label({ files: 5, under: '/static/' })).toBe('the next deployer action is killed after 5 files under /static/');
  });

  it('sets the interrupt hook while injected and removes it at heal', async () => {
    const ctx = { duringDeploy: {} as { interrupt?: unknown }, history: new History() };
    const heal = await storageKillAfter.inject(ctx as never, { files: 3 });
    expect(typeof ctx.duringDeploy.interrupt).toBe('function');
    await heal();
    expect('interrupt' in ctx.duringDeploy).toBe(false);
  });

  /** A deployer handle that records what it was told. */
  function fakeDeployer() {
    const signals: NodeJS.Signals[] = [];
    const kills: string[] = [];
    const handle: DeployerHandle = {
      kill: (reason) => void kills.push(reason),
      signal: (sig) => {
        signals.push(sig);
        return true;
      },
    };
    return { signals, kills, handle };
  }

  async function injected(p: { files: number; under?: string }) {
    const history = new History();
    const ctx = { duringDeploy: {} as { interrupt?: (root: string, d: DeployerHandle) => () => void }, history };
    await storageKillAfter.inject(ctx as never, p);
    return { history, interrupt: ctx.duringDeploy.interrupt! };
  }

  it('kills once the deployer created `files` new files under the path, stepping it with SIGSTOP/SIGCONT', async () => {
    const { history, interrupt } = await injected({ files: 3, under: '/static/' });
    const root = join(dir, 'deploy');
    // An earlier release: already there, never counted.
    await touch(join(root, 'releases/a-1/static/old1.js'));
    await touch(join(root, 'releases/a-1/static/old2.js'));
    const d = fakeDeployer();
    const stop = interrupt(root, d.handle);
    try {
      await until(() => d.signals.includes('SIGSTOP'), 'the first step (the baseline counted)');
      await touch(join(root, 'releases/b-2/static/1.js'));
      await touch(join(root, 'releases/b-2/static/2.js'));
      await touch(join(root, 'releases/b-2/static/.3.js.AbC123')); // rsync's temporary name
      await touch(join(root, 'releases/b-2/server/page.js'));
      await touch(join(root, 'releases/b-2/server/other.js'));
      // Several more steps see these: two counted files are not three.
      const seen = d.signals.length;
      await until(() => d.signals.length >= seen + 20, 'twenty more steps');
      expect(d.kills).toEqual([]);
      expect(ofType(history.events, 'fault')).toEqual([]);
      await touch(join(root, 'releases/b-2/static/3.js'));
      await until(() => d.kills.length > 0, 'the kill');
      expect(d.kills).toEqual(['fault storage-kill-after (3 files under /static/)']);
      // Killed while stopped: the last signal before the kill was SIGSTOP.
      expect(d.signals.at(-1)).toBe('SIGSTOP');
      expect(d.signals.filter((s) => s === 'SIGCONT').length).toBeGreaterThan(10);
      expect(d.signals.every((s) => s === 'SIGSTOP' || s === 'SIGCONT')).toBe(true);
      expect(ofType(history.events, 'fault').map(({ fault, area, phase, label }) => ({ fault, area, phase, label }))).toEqual([
        { fault: 'storage-kill-after', area: 'storage', phase: 'hit', label: 'deployer killed after it created 3 files under /static/' },
      ]);
    } finally {
      stop();
    }
    // Stopping the watch lets the process group go on (SIGCONT), whatever happened.
    await until(() => d.signals.at(-1) === 'SIGCONT', 'the SIGCONT at stop');
    expect(d.kills).toHaveLength(1);

    // Fired once: the next action is left alone.
    const next = fakeDeployer();
    const stopNext = interrupt(root, next.handle);
    try {
      await touch(join(root, 'releases/c-3/static/1.js'));
      await touch(join(root, 'releases/c-3/static/2.js'));
      await touch(join(root, 'releases/c-3/static/3.js'));
      await touch(join(root, 'releases/c-3/static/4.js'));
      await sleep(50);
      expect(next.signals).toEqual([]);
      expect(next.kills).toEqual([]);
    } finally {
      stopNext();
    }
    expect(ofType(history.events, 'fault')).toHaveLength(1);
  });

  it('counts every path when no `under` is given', async () => {
    const { interrupt } = await injected({ files: 2 });
    const root = join(dir, 'deploy');
    await touch(join(root, 'current.txt'));
    const d = fakeDeployer();
    const stop = interrupt(root, d.handle);
    try {
      await until(() => d.signals.includes('SIGSTOP'), 'the first step');
      await touch(join(root, 'a.txt'));
      const seen = d.signals.length;
      await until(() => d.signals.length >= seen + 10, 'ten more steps');
      expect(d.kills).toEqual([]);
      await touch(join(root, 'b.txt'));
      await until(() => d.kills.length > 0, 'the kill');
      expect(d.kills).toEqual(['fault storage-kill-after (2 files)']);
    } finally {
      stop();
    }
  });

  it('stopped before it fires: no kill, the group continued, and it stays armed for the next action', async () => {
    const { history, interrupt } = await injected({ files: 1 });
    const root = join(dir, 'deploy');
    await mkdir(root, { recursive: true });
    const first = fakeDeployer();
    const stop = interrupt(root, first.handle);
    await until(() => first.signals.includes('SIGSTOP'), 'the first step').finally(stop);
    await sleep(30); // the step in progress ends, then the group is continued
    expect(first.signals.at(-1)).toBe('SIGCONT');
    const after = first.signals.length;
    await touch(join(root, 'late.txt'));
    await sleep(30);
    expect(first.signals.length).toBe(after);
    expect(first.kills).toEqual([]);
    expect(history.events).toEqual([]);

    const second = fakeDeployer();
    const stopSecond = interrupt(root, second.handle);
    try {
      await until(() => second.signals.includes('SIGSTOP'), 'the first step of the second action');
      await touch(join(root, 'new.txt'));
      await until(() => second.kills.length > 0, 'the kill of the second action');
      expect(second.kills).toEqual(['fault storage-kill-after (1 files)']);
    } finally {
      stopSecond();
    }
  });

  it('does not send SIGCONT to a deployer it could not stop (no process yet)', async () => {
    const { interrupt } = await injected({ files: 1 });
    const root = join(dir, 'deploy');
    await mkdir(root, { recursive: true });
    const signals: NodeJS.Signals[] = [];
    const stop = interrupt(root, {
      kill: () => {},
      signal: (sig) => {
        signals.push(sig);
        return false;
      },
    });
    try {
      await until(() => signals.length >= 5, 'five steps');
      expect(new Set(signals)).toEqual(new Set(['SIGSTOP']));
    } finally {
      stop();
    }
  });
});
