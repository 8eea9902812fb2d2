import { describe, expect, it } from 'vitest';
import type { BfcacheRestore } from '../browser/session.ts';
import { History, ofType } from '../core/history.ts';
import { browserBfcache, notRestoredMessage, reasonsOf } from './browser-bfcache.ts';

type NotRestored = Extract<BfcacheRestore, { restored: false }>;
const notRestored = (over: Partial<NotRestored> = {}): NotRestored => ({
  restored: false,
  url: 'http://edge/',
  explanations: [],
  notRestoredReasons: null,
  ...over,
});

describe('reasonsOf (PerformanceNavigationTiming.notRestoredReasons as JSON)', () => {
  it("lists the main frame's reasons, then each iframe's, named by src, url or id", () => {
    const tree = {
      src: null,
      url: 'http://edge/',
      reasons: [{ reason: 'unload-listener' }, { reason: 'masked' }],
      children: [
        {
          src: 'http://edge/frame',
          reasons: [{ reason: 'websocket' }],
          children: [{ id: 'inner', reasons: [{ reason: 'broadcastchannel' }], children: [] }],
        },
        { src: null, url: null, id: null, reasons: [{ reason: 'lock' }], children: [] },
      ],
    };
    expect(reasonsOf(tree)).toEqual([
      'unload-listener',
      'masked',
      'websocket (iframe http://edge/frame)',
      'broadcastchannel (iframe inner)',
      'lock (iframe (unnamed))',
    ]);
  });

  it('gives none for null (restored, or reasons not exposed) and for anything not shaped like the tree', () => {
    for (const x of [
      null,
      undefined,
      'masked',
      3,
      [],
      {},
      { reasons: 'x' },
      { reasons: [null, 1, { reason: 2 }, {}] },
      { children: [null, 'x'] },
    ]) {
      expect(reasonsOf(x), JSON.stringify(x)).toEqual([]);
    }
  });
});

describe('notRestoredMessage', () => {
  it("names the session, the URL loaded anew, Chromium's explanations and the page's reasons, on one line", () => {
    const m = notRestoredMessage(
      'app-a',
      notRestored({
        explanations: ['BrowsingInstanceNotSwapped', 'UnloadHandlerExistsInMainFrame'],
        notRestoredReasons: { reasons: [{ reason: 'masked' }], children: [] },
      }),
    );
    expect(m).toBe(
      'app-a was not restored from the back/forward cache: going back loaded http://edge/ anew, so the tab lost the build it had in memory and the scenario would test a plain reload (Chromium: BrowsingInstanceNotSwapped, UnloadHandlerExistsInMainFrame; notRestoredReasons: masked)',
    );
    expect(m).not.toContain('\n');
  });

  it('says so when Chromium gave no reason, and leaves out empty notRestoredReasons', () => {
    expect(notRestoredMessage('s', notRestored())).toMatch(/\(Chromium gave no reason\)$/);
    expect(notRestoredMessage('s', notRestored({ notRestoredReasons: { reasons: [] } }))).not.toContain('notRestoredReasons');
  });

  it('points at the launch flag when the cache was disabled on the command line', () => {
    const m = notRestoredMessage('s', notRestored({ explanations: ['BackForwardCacheDisabled', 'BackForwardCacheDisabledByCommandLine'] }));
    expect(m).toContain('(Chromium: BackForwardCacheDisabled, BackForwardCacheDisabledByCommandLine)');
    expect(m).toContain('launched with --disable-back-forward-cache');
    expect(m).toContain("skewFaults: ['browser-bfcache']");
    expect(notRestoredMessage('s', notRestored({ explanations: ['BackForwardCacheDisabled'] }))).not.toContain('launched with');
  });
});

describe('browser-bfcache', () => {
  /** Sessions that record what the fault asked of them and answer `restore` as told. */
  function fakeSessions(restore: Record<string, BfcacheRestore>) {
    const calls: string[] = [];
    const sessions = new Map(
      Object.entries(restore).map(([n, r]) => [
        n,
        {
          name: n,
          page: { url: () => `http://edge:8080/${n === 'pages-a' ? 'legacy' : ''}?x=1` },
          leaveForBfcache: async (url: string) => void calls.push(`${n} leaves for ${url}`),
          restoreFromBfcache: async () => {
            calls.push(`${n} back`);
            return r;
          },
          version: async () => 'A',
        },
      ]),
    );
    const history = new History();
    return { calls, history, ctx: { sessions, history } as never };
  }

  it('sends each named tab to `away` on the same edge, and back at heal, recording each restore', async () => {
    const { calls, history, ctx } = fakeSessions({ 'app-a': { restored: true }, 'pages-a': { restored: true }, other: { restored: true } });
    const heal = await browserBfcache.inject(ctx, browserBfcache.params.parse({ sessions: ['pages-a', 'app-a'] }));
    expect(calls).toEqual(['pages-a leaves for http://edge:8080/logo.svg', 'app-a leaves for http://edge:8080/logo.svg']);
    await heal();
    expect(calls.slice(2)).toEqual(['pages-a back', 'app-a back']);
    expect(ofType(history.events, 'fault').map((e) => [e.phase, e.area, e.label])).toEqual([
      ['hit', 'browser', 'pages-a restored from the back/forward cache with build A in memory'],
      ['hit', 'browser', 'app-a restored from the back/forward cache with build A in memory'],
    ]);
  });

  it('fails the heal when a tab was loaded anew, after bringing every tab back, naming why', async () => {
    const { calls, history, ctx } = fakeSessions({
      'app-a': notRestored({ explanations: ['UnloadHandlerExistsInMainFrame'] }),
      'pages-a': { restored: true },
    });
    const heal = await browserBfcache.inject(ctx, browserBfcache.params.parse({ away: '/version.txt' }));
    expect(calls.slice(0, 2)).toEqual(['app-a leaves for http://edge:8080/version.txt', 'pages-a leaves for http://edge:8080/version.txt']);
    await expect(heal()).rejects.toThrow(
      /^app-a was not restored from the back\/forward cache: .*\(Chromium: UnloadHandlerExistsInMainFrame\)$/,
    );
    expect(calls.slice(2)).toEqual(['app-a back', 'pages-a back']);
    expect(ofType(history.events, 'fault').map((e) => e.label)).toEqual([
      'pages-a restored from the back/forward cache with build A in memory',
    ]);
  });

  it('checks the session names before any tab leaves', async () => {
    const { calls, ctx } = fakeSessions({ 'app-a': { restored: true } });
    await expect(browserBfcache.inject(ctx, browserBfcache.params.parse({ sessions: ['app-a', 'nope'] }))).rejects.toThrow(
      'no open session named "nope" (open: app-a)',
    );
    expect(calls).toEqual([]);
  });

  it('params and label: /logo.svg by default, `away` a path on the same edge', () => {
    expect(browserBfcache.params.parse({})).toEqual({ away: '/logo.svg' });
    expect(browserBfcache.label(browserBfcache.params.parse({}))).toBe('every open session left for /logo.svg (back button at heal)');
    expect(browserBfcache.label({ sessions: ['app-a'], away: '/version.txt' })).toBe('app-a left for /version.txt (back button at heal)');
    for (const bad of [
      { away: 'logo.svg' },
      { away: 'http://elsewhere/' },
      { away: '' },
      { sessions: [] },
      { sessions: 'app-a' },
      { extra: 1 },
    ]) {
      expect(browserBfcache.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
