import { interruptedBy } from '../io/interrupt.ts';

/**
 * Runs `items` on `workers` concurrent workers, each taking the next item when its last one ends;
 * results come back in the items' order, whatever order they ended in. Each worker has an index
 * (0-based) so it can keep its own resources (a browser). After an item throws, no new item
 * starts; those running finish, and the first error is thrown. After a signal (harness/io/
 * interrupt.ts) no new item starts either.
 */
export async function runInWorkers<T, R>(
  items: readonly T[],
  workers: number,
  run: (item: T, index: number, worker: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (w: number) => {
    while (!failure && !interruptedBy() && next < items.length) {
      const i = next++;
      try {
        results[i] = await run(items[i]!, i, w);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, items.length)) }, (_, w) => worker(w)));
  if (failure) throw failure.error;
  return results;
}

/**
 * Memory one worker's scenario takes at its peak, PSS of its processes (harness share, nginx,
 * the Next origins of its releases, a Chromium with its sessions): `npm run bench` measured
 * 1,876 MB for a warm roll-forward (2026-11-28), plus headroom.
 */
export const WORKER_MEMORY_BYTES = 2.25 * 1024 ** 3;

/**
 * Workers by default: one per core (a scenario waits on its deployer, nginx and the browser
 * about half its time, so a worker per core keeps the cores busy; more contend, see
 * docs/parallel.md), fewer when free memory cannot hold them, at least one.
 */
export function defaultWorkers(m: { cores: number; freeMemBytes: number }): number {
  return Math.max(1, Math.min(m.cores, Math.floor(m.freeMemBytes / WORKER_MEMORY_BYTES)));
}
