import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectWatchesUntilHealed, fakeAction, fakeStorageCtx, touch, until } from '../../test/storage-faults.ts';
import { ofType } from '../core/history.ts';
import { storageKillAfter } from './storage-kill-after.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skew-faults-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
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

  it('watches the deployer while injected and stops watching at heal', () => expectWatchesUntilHealed(storageKillAfter, { files: 3 }));

  /** A command's action (pausable by default) that records what it was told. */
  const fakeDeployer = (pausable = true) => fakeAction(pausable);

  async function injected(p: { files: number; under?: string }) {
    const { ctx, history, watching } = fakeStorageCtx();
    await storageKillAfter.inject(ctx, p);
    return { history, interrupt: watching()! };
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

  it('a slice that ran long: what the frozen deployer wrote past the limit goes, as if the kill had landed on time', async () => {
    const { history, interrupt } = await injected({ files: 3, under: '/static/' });
    const root = join(dir, 'deploy');
    await touch(join(root, 'releases/a-1/static/old.js'));
    // Written in order outside the root, then moved in at once: the step sees all of them together.
    const staging = join(dir, 'staging');
    const order = ['server/page.js', 'static/1.js', 'static/2.js', 'static/3.js', 'static/4.js', 'static/5.js', 'types/late.d.ts'];
    for (const f of order) {
      await touch(join(staging, f));
      await sleep(15); // change times apart, whatever the clock's tick
    }
    const d = fakeDeployer();
    const stop = interrupt(root, d.handle);
    try {
      await rename(staging, join(root, 'releases/b-2'));
      await until(() => d.kills.length > 0, 'the kill');
      expect(d.kills).toEqual(['fault storage-kill-after (3 files under /static/)']);
      const left = async (sub: string) => (await readdir(join(root, 'releases/b-2', sub)).catch(() => [])).sort();
      expect(await left('static')).toEqual(['1.js', '2.js', '3.js']);
      expect(await left('server')).toEqual(['page.js']); // written before the limit: kept
      expect(await left('types')).toEqual([]); // written after it: gone, its directory too
      expect(await left('.')).toEqual(['server', 'static']);
      expect(await readdir(join(root, 'releases/a-1/static'))).toEqual(['old.js']);
      expect(ofType(history.events, 'fault').map((e) => e.label)).toEqual([
        'deployer killed after it created 3 files under /static/ (3 it wrote in the same slice removed, as if the kill had landed on time)',
      ]);
    } finally {
      stop();
    }
  });

  it('a deployer that cannot be frozen keeps what it wrote past the limit', async () => {
    const { interrupt } = await injected({ files: 1 });
    const root = join(dir, 'deploy');
    await mkdir(root, { recursive: true });
    const staging = join(dir, 'staging');
    await touch(join(staging, 'a.txt'));
    await touch(join(staging, 'b.txt'));
    const d = fakeDeployer(false);
    const stop = interrupt(root, d.handle);
    try {
      await rename(staging, join(root, 'r'));
      await until(() => d.kills.length > 0, 'the kill');
      expect((await readdir(join(root, 'r'))).sort()).toEqual(['a.txt', 'b.txt']);
    } finally {
      stop();
    }
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

  it('does not resume a deployer it could not pause (a module deployer, no process yet)', async () => {
    const { interrupt } = await injected({ files: 1 });
    const root = join(dir, 'deploy');
    await mkdir(root, { recursive: true });
    const { signals, handle } = fakeDeployer(false);
    const stop = interrupt(root, handle);
    try {
      await until(() => signals.length >= 5, 'five steps');
      expect(new Set(signals)).toEqual(new Set(['SIGSTOP']));
    } finally {
      stop();
    }
  });
});
