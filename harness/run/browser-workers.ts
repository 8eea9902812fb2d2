import { BrowserPool } from '../browser/pool.ts';
import { onCleanup } from '../io/cleanup.ts';
import { runInWorkers } from './workers.ts';

/**
 * `runInWorkers` where each worker has its own Chromium (a BrowserPool) for the runs it takes:
 * launched on first use, closed at the end and on interruption.
 */
export async function runWithBrowsers<T, R>(
  items: readonly T[],
  workers: number,
  run: (item: T, index: number, worker: number, browsers: BrowserPool) => Promise<R>,
): Promise<R[]> {
  const pools = Array.from({ length: Math.max(1, workers) }, () => new BrowserPool());
  const closeAll = () => Promise.all(pools.map((p) => p.close())).then(() => {});
  const unregister = onCleanup('the workers’ browsers', closeAll);
  try {
    return await runInWorkers(items, workers, (item, i, w) => run(item, i, w, pools[w]!));
  } finally {
    await closeAll();
    unregister();
  }
}
