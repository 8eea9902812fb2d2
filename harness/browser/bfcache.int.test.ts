import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { History, ofType } from '../core/history.ts';
import { launchBrowser } from './launch.ts';
import { Session } from './session.ts';

/**
 * Session.leaveForBfcache / restoreFromBfcache in a real Chromium, against a two-document site:
 * with the cache enabled the very document comes back (no request, marker kept); with
 * Playwright's default flags it is loaded anew, and Chromium says why. Neither is a hard reload.
 */
let server: Server;
let base: string;
let homeLoads = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/') {
      homeLoads++;
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'public, s-maxage=60' });
      res.end(`<!doctype html><html><body><p data-testid="version">A</p><script>window.loadNo = ${homeLoads}</script></body></html>`);
    } else {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      res.end('<svg xmlns="http://www.w3.org/2000/svg"/>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function roundTrip(bfcache: boolean) {
  const browser = await launchBrowser({ bfcache });
  const history = new History();
  const s = await Session.open(browser, 'tab', history);
  try {
    await s.goto(`${base}/`);
    const before = homeLoads;
    await s.leaveForBfcache(`${base}/logo.svg`);
    const r = await s.restoreFromBfcache();
    return {
      r,
      refetched: homeLoads - before,
      loadNo: await s.page.evaluate(() => (window as unknown as { loadNo: number }).loadNo),
      version: await s.version(),
      history,
    };
  } finally {
    await s.close();
    await browser.close();
  }
}

describe('back/forward cache round trip (real Chromium)', () => {
  it('with bfcache: the same document comes back, nothing refetched, no hard reload', async () => {
    const { r, refetched, loadNo, version, history } = await roundTrip(true);
    expect(r).toEqual({ restored: true });
    expect(refetched).toBe(0);
    expect(loadNo).toBe(homeLoads);
    expect(version).toBe('A');
    expect(ofType(history.events, 'hard-reload')).toEqual([]);
  });

  it("with Playwright's defaults: loaded anew, with Chromium's reason, still no hard reload", async () => {
    const { r, refetched, history } = await roundTrip(false);
    expect(r.restored).toBe(false);
    if (r.restored) return;
    expect(r.url).toBe(`${base}/`);
    expect(r.explanations).toContain('BackForwardCacheDisabledByCommandLine');
    // A history navigation may take the document from the HTTP cache: what matters is a new document.
    expect(refetched).toBeLessThanOrEqual(1);
    expect(ofType(history.events, 'hard-reload')).toEqual([]);
  });
});
