import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ofType } from '../core/history.ts';
import { storageVisibleLate } from './storage-visible-late.ts';
import { expectWatchesUntilHealed, fakeAction, fakeStorageCtx, until } from '../../test/storage-faults.ts';
import { heldName } from './storage-hold.ts';

describe('storage-visible-late params and label', () => {
  it('defaults to 8 s for every file; ms a whole number in 1..120000; under non-empty; strict', () => {
    expect(storageVisibleLate.params.parse({})).toEqual({ ms: 8_000 });
    expect(storageVisibleLate.params.parse({ ms: 1, under: '/static/' })).toEqual({ ms: 1, under: '/static/' });
    expect(storageVisibleLate.params.parse({ ms: 120_000 })).toEqual({ ms: 120_000 });
    for (const bad of [
      { ms: 0 },
      { ms: 120_001 },
      { ms: 1.5 },
      { ms: '100' },
      { under: '' },
      { under: 3 },
      { delay: 5 },
      { ms: 5, files: 3 },
    ]) {
      expect(storageVisibleLate.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('labels say how late, and where when `under` narrows it', () => {
    expect(storageVisibleLate.label({ ms: 8_000 })).toBe('the store shows uploaded files 8000 ms late');
    expect(storageVisibleLate.label({ ms: 500, under: '/static/' })).toBe('the store shows uploaded files under /static/ 500 ms late');
    expect(storageVisibleLate.area).toBe('storage');
  });
});

describe('storage-visible-late inject / heal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skew-visible-late-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('watches the deployer while injected and stops watching at heal', () => expectWatchesUntilHealed(storageVisibleLate, { ms: 100 }));

  it('holds only the paths containing `under`, and the heal shows what is still held', async () => {
    const { ctx, history, watching } = fakeStorageCtx();
    const heal = await storageVisibleLate.inject(ctx, { ms: 600_000, under: '/static/' });
    const { handle, signals } = fakeAction(false);
    const stop = watching()!(dir, handle);
    await until(() => signals.length > 0, 'the first slice');
    const chunk = join(dir, 'B/.next/static/chunks/a.js');
    const html = join(dir, 'B/.next/server/app/index.html');
    for (const f of [chunk, html]) {
      await mkdir(dirname(f), { recursive: true });
      await writeFile(f, 'x');
    }
    await until(() => existsSync(join(dirname(chunk), heldName(1, 'a.js'))), 'the chunk to be held');
    // A few more slices: the HTML has surely been looked at by then.
    const seen = signals.length + 3;
    await until(() => signals.length >= seen, 'three more slices');
    expect(existsSync(html)).toBe(true);
    stop();
    await until(() => signals.includes('SIGCONT'), 'the watch to end');
    expect(ofType(history.events, 'fault').map((e) => [e.fault, e.phase])).toEqual([['storage-visible-late', 'hit']]);
    expect(existsSync(chunk)).toBe(false);
    await heal();
    expect(existsSync(chunk)).toBe(true);
  });
});
