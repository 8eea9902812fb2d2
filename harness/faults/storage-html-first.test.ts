import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ofType } from '../core/history.ts';
import { storageHtmlFirst } from './storage-html-first.ts';
import { expectWatchesUntilHealed, fakeAction, fakeStorageCtx, touch, until } from '../../test/storage-faults.ts';
import { heldName } from './storage-hold.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('storage-html-first params and label', () => {
  it('defaults to 8 s; ms a whole number in 1..120000; strict (no `under`: it is always .next/static)', () => {
    expect(storageHtmlFirst.params.parse({})).toEqual({ ms: 8_000 });
    expect(storageHtmlFirst.params.parse({ ms: 120_000 })).toEqual({ ms: 120_000 });
    for (const bad of [{ ms: 0 }, { ms: 120_001 }, { ms: 2.5 }, { ms: '8000' }, { under: '/static/' }, { ms: 10, order: 'reverse' }]) {
      expect(storageHtmlFirst.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(storageHtmlFirst.label({ ms: 8_000 })).toBe("the store shows an upload's static files last, 8000 ms after its other files");
    expect(storageHtmlFirst.area).toBe('storage');
  });
});

describe('storage-html-first inject / heal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skew-html-first-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('watches the deployer while injected and stops watching at heal', () => expectWatchesUntilHealed(storageHtmlFirst, { ms: 100 }));

  it('holds .next/static files until `ms` after the last other file written, showing the others at once', async () => {
    const ms = 1500;
    const { ctx, history, watching } = fakeStorageCtx();
    const heal = await storageHtmlFirst.inject(ctx, { ms });
    // The last pause before a write is a lower bound for the time the watch credits it with.
    const { handle, signals, lastStop } = fakeAction(false);
    const stop = watching()!(dir, handle);
    try {
      await until(() => signals.length > 0, 'the first slice');
      const chunk = await touch(join(dir, 'releases/B/.next/static/chunks/a.js'));
      await until(() => existsSync(join(dirname(chunk), heldName(1, 'a.js'))), 'the chunk to be held');
      // A later non-static write moves the chunk's time: due `ms` after it, not after the chunk.
      await sleep(200);
      const htmlSeenNotBefore = lastStop();
      const html = await touch(join(dir, 'releases/B/.next/server/app/index.html'));
      const publicFile = await touch(join(dir, 'releases/B/public/logo.svg'));
      await until(() => existsSync(chunk), 'the chunk to come back', 5000);
      const shownAt = Date.now();
      // Never early: due `ms` after the HTML, not after the chunk (shown ~200 ms earlier then).
      expect(shownAt).toBeGreaterThanOrEqual(htmlSeenNotBefore + ms);
      expect([existsSync(html), existsSync(publicFile)]).toEqual([true, true]);
    } finally {
      stop();
      await until(() => signals.includes('SIGCONT'), 'the watch to end');
      await heal();
    }
    expect(ofType(history.events, 'fault').map((e) => [e.fault, e.area, e.phase])).toEqual([['storage-html-first', 'storage', 'hit']]);
  });
});
