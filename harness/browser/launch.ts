import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright';
import { HarnessError } from '../errors/harness-error.ts';

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

export function launchOptions(opts: LaunchOptions = {}, executablePath = findChromium()): Parameters<typeof chromium.launch>[0] {
  return {
    executablePath,
    headless: opts.headless ?? true,
    args: CHROMIUM_ARGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    ...(opts.bfcache ? { ignoreDefaultArgs: [NO_BFCACHE_FLAG] } : {}),
  };
}

export async function launchBrowser(opts: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch(launchOptions(opts));
}

function safe(f: () => string): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
