import { constants, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { HarnessError } from '../errors/harness-error.ts';
import { canAccess } from '../io/files.ts';

/**
 * Finds a Chromium: SKEW_CHROMIUM, then Debian's /usr/bin/chromium, then Playwright's own
 * download if one is present. This machine cannot download browsers, so say clearly if none.
 */
export function findChromium(env: Record<string, string | undefined> = process.env): string {
  const candidates = [env.SKEW_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', safe(() => chromium.executablePath())];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) {
    throw new HarnessError(
      'NO_BROWSER',
      "no Chromium found (looked at $SKEW_CHROMIUM, /usr/bin/chromium, Playwright's browser cache)",
      'run `npm run setup` (Debian: apt-get install chromium), or `npx playwright install chromium` where downloads work, or set SKEW_CHROMIUM=/path/to/chrome',
    );
  }
  return found;
}

/** Flags that keep Chromium quiet on a closed network (no background connections at start). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Among Playwright's default Chromium flags; dropped only for runs that need the cache. */
export const NO_BFCACHE_FLAG = '--disable-back-forward-cache';

export interface LaunchOptions {
  headless?: boolean;
  /**
   * Let Chromium keep pages left by a navigation in its back/forward cache (fault
   * `browser-bfcache`). Playwright disables the cache by default; every other run keeps it so.
   */
  bfcache?: boolean;
}

/**
 * Chromium puts its singleton socket at `$TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket`,
 * and a Unix socket path holds at most 107 bytes. Under a deep TMPDIR (a CI checkout's test
 * folder: seen at /check/work/main/runs/e2e/…/tmp) Chromium aborts at start with "Socket path
 * too long". Such a TMPDIR is replaced for the browser alone by the first short writable folder.
 * The browser's TMPDIR is a folder skew makes in it (`BROWSER_DIR_PREFIX`, see `launchBrowser`):
 * its name counts too.
 */
export const SINGLETON_SOCKET_SUFFIX = '/org.chromium.Chromium.XXXXXX/SingletonSocket';
const MAX_SOCKET_PATH = 107;

/** The folder skew makes per browser under TMPDIR: Chromium's TMPDIR and Playwright's tracesDir. */
export const BROWSER_DIR_PREFIX = 'skew-chromium-';
const BROWSER_DIR_SUFFIX = `/${BROWSER_DIR_PREFIX}XXXXXX`;

export function browserTmpdir(tmp = tmpdir(), fallbacks = ['/tmp', '/dev/shm', '/var/tmp']): string | undefined {
  const fits = (dir: string) => Buffer.byteLength(dir + BROWSER_DIR_SUFFIX + SINGLETON_SOCKET_SUFFIX) <= MAX_SOCKET_PATH;
  if (fits(tmp)) return undefined;
  const short = fallbacks.find((dir) => fits(dir) && canAccess(dir, constants.W_OK));
  if (short) return short;
  throw new HarnessError(
    'NO_BROWSER',
    `Chromium cannot start under TMPDIR ${JSON.stringify(tmp)}: its socket path would pass ${MAX_SOCKET_PATH} bytes, and none of ${fallbacks.join(', ')} is writable`,
    'set TMPDIR to a short writable folder (e.g. TMPDIR=/tmp)',
  );
}

export function launchOptions(
  opts: LaunchOptions = {},
  executablePath = findChromium(),
  tmp = browserTmpdir(),
): Parameters<typeof chromium.launch>[0] {
  return {
    executablePath,
    ...(tmp ? { env: { ...process.env, TMPDIR: tmp } } : {}),
    headless: opts.headless ?? true,
    args: CHROMIUM_ARGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    ...(opts.bfcache ? { ignoreDefaultArgs: [NO_BFCACHE_FLAG] } : {}),
  };
}

/**
 * Launches Chromium with a temp folder skew owns, removed when the browser goes. Playwright
 * makes a `playwright-tracing-*` folder in this process's TMPDIR for each trace started and
 * removes it only when that trace is stopped: a browser closed under running traces (an
 * interrupt's teardown) left one per session. Given a `tracesDir`, Playwright puts the trace
 * there instead; the folder is also Chromium's TMPDIR, so its singleton socket folder, left when
 * Chromium is killed (a second signal), goes with it.
 */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<Browser> {
  const executablePath = findChromium();
  const dir = mkdtempSync(join(browserTmpdir() ?? tmpdir(), BROWSER_DIR_PREFIX));
  liveBrowserDirs.add(dir);
  try {
    const tracesDir = join(dir, 'traces');
    mkdirSync(tracesDir);
    const browser = await chromium.launch({ ...launchOptions(opts, executablePath, dir), tracesDir });
    // However the browser goes (closed, crashed): emitted before `close()` resolves.
    browser.once('disconnected', () => removeBrowserDir(dir));
    // A trace still running when the browser closes is disposed of after 'disconnected' and
    // may write its folder again under load (seen once in CI): closing removes it once more.
    const close = browser.close.bind(browser);
    browser.close = async (options) => {
      await close(options);
      removeBrowserDir(dir);
    };
    // Registered after Playwright's own exit hook (it kills Chromium first), once.
    if (!exitHookSet) {
      exitHookSet = true;
      process.once('exit', () => {
        for (const d of liveBrowserDirs) removeBrowserDir(d);
      });
    }
    return browser;
  } catch (e) {
    removeBrowserDir(dir);
    throw e;
  }
}

/** Folders of browsers not closed yet: removed at the latest when the process exits. */
const liveBrowserDirs = new Set<string>();
let exitHookSet = false;

function removeBrowserDir(dir: string): void {
  liveBrowserDirs.delete(dir);
  // Synchronous: on 'exit' nothing asynchronous runs any more. Retried: a Chromium being
  // killed may still write into it.
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function safe(f: () => string): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
