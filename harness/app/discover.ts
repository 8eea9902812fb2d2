import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright';
import { publicFileOf } from '../builds/asset-manifest.ts';
import type { Build } from '../builds/types.ts';
import { launchBrowser } from '../browser/launch.ts';
import { onCleanup } from '../io/cleanup.ts';
import { waitFor } from '../io/wait.ts';
import { Origin } from '../stack/origin.ts';
import { chunkName, chunksNamedIn } from './named-chunks.ts';
import { readRouteTable, type AppRoute } from './routes.ts';

/** What a user's app offers the catalogue: its pages, which of them lazy-load, how it navigates. */
export interface AppProfile {
  routes: AppRoute[];
  unvisitable: string[];
  /**
   * Paths whose page requested JavaScript chunks its HTML does not name (import(), next/dynamic,
   * `ssr: false`), with Link prefetch switched off so a prefetched page's chunks do not count.
   */
  lazy: string[];
  /** Per path: the outcome of opening it (status, or why it was left out). */
  visited: Record<string, string>;
  /** `window.next.router.push` exists: client-side navigation without clicking a link. */
  clientRouter: boolean;
  /**
   * public/ files (URL paths, basePath included) the app serves as they are; the others, with
   * what answered instead (a middleware that redirects every path to a locale takes them).
   */
  publicServed: string[];
  publicHidden: Record<string, string>;
}

const PROFILE = 'profile.json';
const RECIPE = 4;
/** Bounds the public/ files fetched during discovery. */
const MAX_PUBLIC = 20;
/** Bounds discovery on large apps: this many pages are opened, the rest are only listed. */
export const MAX_PAGES = 15;
/** No new chunk request for this long after `load`: the page has settled. */
const QUIET_MS = 400;

/**
 * Opens each page of build A in Chromium (one `next start` on a copy, no edge) and records which
 * pages fetch chunks their HTML does not name: those exercise lazy loading after a deploy. A
 * lazy load behind a click cannot be found this way; the report says which steps that leaves out.
 * Cached next to the build (the build's key covers everything it depends on).
 */
export async function discoverApp(build: Build, log: (line: string) => void = () => {}): Promise<AppProfile> {
  const record = join(dirname(build.dir), PROFILE);
  const cached = await readFile(record, 'utf8').then(
    (t) => JSON.parse(t) as AppProfile & { recipe: number },
    () => undefined,
  );
  if (cached?.recipe === RECIPE) return cached;
  const table = await readRouteTable(build.dir, build.app?.basePath ?? '');
  const copy = await mkdtemp(join(tmpdir(), 'skew-discover-'));
  let origin: Origin | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => {});
    await origin?.stop();
    await rm(copy, { recursive: true, force: true });
  };
  const unregister = onCleanup('app discovery', stop);
  try {
    // next start may write (.next/cache): never into the cached build.
    await cp(build.dir, copy, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes('/.next/cache') });
    origin = await Origin.start(copy, build.deploymentId, 'discover');
    browser = await launchBrowser();
    const profile: AppProfile = {
      routes: table.routes,
      unvisitable: table.unvisitable,
      lazy: [],
      visited: {},
      clientRouter: false,
      publicServed: [],
      publicHidden: {},
    };
    log(`discovering ${table.routes.length} page(s) of ${build.app?.name ?? build.fixture}…`);
    for (const route of table.routes.slice(0, MAX_PAGES)) {
      const r = await openPage(browser, `${origin.url}${route.path}`);
      profile.visited[route.path] = r.outcome;
      if (r.lateChunks > 0) profile.lazy.push(route.path);
      profile.clientRouter ||= r.clientRouter;
    }
    for (const route of table.routes.slice(MAX_PAGES))
      profile.visited[route.path] = `not opened (discovery opens the first ${MAX_PAGES} pages)`;
    for (const path of build.publicFiles.slice(0, MAX_PUBLIC)) {
      const served = await servesPublicFile(origin.url, path, join(copy, 'public', publicFileOf(build, path)));
      if (served === true) profile.publicServed.push(path);
      else profile.publicHidden[path] = served;
    }
    await writeFile(record, JSON.stringify({ ...profile, recipe: RECIPE }, null, 2));
    return profile;
  } finally {
    await stop();
    unregister();
  }
}

/** Whether the app answers a public/ file's URL with that file, else what it answered. */
async function servesPublicFile(origin: string, path: string, file: string): Promise<true | string> {
  const res = await fetch(origin + path, { redirect: 'manual', signal: AbortSignal.timeout(10_000) }).catch((e: Error) => e);
  if (res instanceof Error) return `no answer: ${res.message}`;
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) return `HTTP ${res.status}${res.headers.get('location') ? ` → ${res.headers.get('location')}` : ''}`;
  const expected = await readFile(file).catch(() => undefined);
  return expected?.equals(body) ? true : 'HTTP 200 with other content';
}

/**
 * Link prefetch off: both routers prefetch a link when an IntersectionObserver reports it in
 * view, so an observer that never reports keeps a page's own lazy code apart from the chunks of
 * the pages it links to.
 */
const NO_VIEWPORT_PREFETCH = `window.IntersectionObserver = class { observe() {} unobserve() {} disconnect() {} takeRecords() { return []; } };`;

async function openPage(browser: Browser, url: string): Promise<{ outcome: string; lateChunks: number; clientRouter: boolean }> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(NO_VIEWPORT_PREFETCH);
  const page = await context.newPage();
  const requested = new Set<string>();
  let lastActivity = Date.now();
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    if (!path.includes('/_next/static/')) return;
    lastActivity = Date.now();
    if (req.resourceType() === 'script' && path.endsWith('.js')) requested.add(chunkName(path));
  });
  try {
    const res = await page.goto(url, { waitUntil: 'load', timeout: 15_000 });
    const status = res?.status() ?? 0;
    if (status >= 400) return { outcome: `left out: HTTP ${status}`, lateChunks: 0, clientRouter: false };
    const named = chunksNamedIn((await res?.text().catch(() => '')) ?? '');
    await waitFor(`${url} to fetch no chunk for ${QUIET_MS} ms after load`, () => Date.now() - lastActivity >= QUIET_MS, {
      timeoutMs: 8_000,
    }).catch(() => undefined);
    const lateChunks = [...requested].filter((c) => !named.has(c)).length;
    const clientRouter = await page
      .evaluate(() => typeof (window as unknown as { next?: { router?: { push?: unknown } } }).next?.router?.push === 'function')
      .catch(() => false);
    return { outcome: `HTTP ${status}${lateChunks ? `, ${lateChunks} chunk(s) its HTML does not name` : ''}`, lateChunks, clientRouter };
  } catch (e) {
    return { outcome: `left out: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, lateChunks: 0, clientRouter: false };
  } finally {
    await context.close().catch(() => {});
  }
}
