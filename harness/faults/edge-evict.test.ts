import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { touch } from '../../test/storage-faults.ts';
import { History, ofType } from '../core/history.ts';
import { edgeEvict } from './edge-evict.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skew-faults-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
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
