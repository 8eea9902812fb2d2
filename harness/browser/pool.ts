import type { Browser } from 'playwright';
import { launchBrowser, type LaunchOptions } from './launch.ts';

/**
 * One Chromium per set of launch options, shared by the runs that ask for it: each run's sessions
 * get their own contexts (storage, cache, connections), so runs stay independent while only the
 * first pays the launch. Owned by whoever runs many scenarios (a `skew run` worker, a Playwright
 * worker), which closes it at the end. A browser that crashed or was closed is launched again.
 */
export class BrowserPool {
  private readonly browsers = new Map<string, Promise<Browser>>();

  constructor(private readonly launch: (o: LaunchOptions) => Promise<Browser> = launchBrowser) {}

  async get(opts: LaunchOptions = {}): Promise<Browser> {
    const key = `${opts.headless ?? true}/${opts.bfcache ?? false}`;
    const known = this.browsers.get(key);
    if (known) {
      const b = await known.catch(() => undefined);
      if (b?.isConnected()) return b;
    }
    const launched = this.launch(opts);
    this.browsers.set(key, launched);
    return launched;
  }

  /** Closes every browser launched; the pool can be used again afterwards. */
  async close(): Promise<void> {
    const all = [...this.browsers.values()];
    this.browsers.clear();
    await Promise.all(all.map((p) => p.then((b) => b.close()).catch(() => {})));
  }
}
