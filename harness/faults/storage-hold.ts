import { readdir, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ActionHandle } from '../deployers/deployer.ts';
import { type DeployerWatch, type FaultContext, type Heal, recordHit } from './fault.ts';

/** rsync and friends write `.name.XXXXXX` first and rename it: only the final name counts. */
export const TEMP_NAME = /(^|\/)\.[^/]+\.[A-Za-z0-9]{6}$/;

/** A held file keeps its directory (a release directory renamed into place carries it along). */
const HELD = /^\.skew-held-(\d+)-(.+)$/;

export function heldName(n: number, name: string): string {
  return `.skew-held-${n}-${name}`;
}

/** The original name of a held file, or undefined for any other name. */
export function unheld(name: string): { n: number; name: string } | undefined {
  const m = HELD.exec(name);
  return m ? { n: Number(m[1]), name: m[2]! } : undefined;
}

/** When a store shows the files it holds: decided per file from what it has seen so far. */
export interface HoldPolicy {
  /** Which newly written files the store does not show yet. */
  holds(path: string): boolean;
  /** Another file was written at `t` (one the store shows at once). */
  wrote?(t: number): void;
  /** When a file held since `heldAt` becomes visible (ms since the epoch). */
  visibleAt(heldAt: number): number;
}

/** What a hold did, for the fault's label and the history. */
export interface HoldCounts {
  held: number;
  shown: number;
}

const SLICE_MS = 1;
const SHOW_POLL_MS = 25;
/** Bounds the stepping: ~200k slices is far beyond any deploy (the deploy step has its own timeout). */
const MAX_SLICES = 200_000;

/** Every file (not directory) under `root`, by path; none when it does not exist yet. */
export async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

/**
 * A store that shows some of an upload late. While the next deployer action runs it is stepped
 * (SIGCONT … SIGSTOP slices of about a millisecond) and, while it is stopped, every file it
 * created since is looked at: the ones the policy holds are renamed to a hidden name in their
 * own directory, so that neither the deployer's own checks nor the origin see them. They get
 * their name back at the policy's time, after the action too; `release()` shows all at once.
 */
export function holdUploads(
  ctx: Pick<FaultContext, 'history'>,
  fault: string,
  policy: HoldPolicy,
): {
  watch: DeployerWatch;
  release: () => Promise<void>;
  counts: HoldCounts;
} {
  const counts: HoldCounts = { held: 0, shown: 0 };
  const heldAt = new Map<number, number>();
  let seq = 0;
  let roots: string[] = [];
  let healed = false;

  /** Gives held files due by now (all of them with `all`) their name back; returns their paths. */
  const show = async (files: string[], all: boolean): Promise<string[]> => {
    const shown: string[] = [];
    for (const f of files) {
      const h = unheld(basename(f));
      if (!h || !heldAt.has(h.n)) continue;
      if (!all && policy.visibleAt(heldAt.get(h.n)!) > Date.now()) continue;
      const to = join(dirname(f), h.name);
      await rename(f, to).catch(() => {});
      heldAt.delete(h.n);
      counts.shown++;
      shown.push(to);
    }
    return shown;
  };

  // Held files are shown on time even after the action ended (the deployer that did not wait
  // has switched by then): a poll that stops once nothing is held, or at release.
  let showing: Promise<void> | undefined;
  const showLater = (root: string) => {
    showing ??= (async () => {
      for (let i = 0; i < MAX_SLICES && heldAt.size > 0 && !healed; i++) {
        await show(await filesUnder(root), false);
        await new Promise((r) => setTimeout(r, SHOW_POLL_MS));
      }
    })().finally(() => (showing = undefined));
  };

  const watch = (root: string, deployer: ActionHandle) => {
    roots = [...new Set([...roots, root])];
    let stopped = false;
    const stepping = (async () => {
      // What was there before is not an upload. A file moved to another path counts as a new
      // write there (an object store's rename is a copy).
      const known = new Set(await filesUnder(root));
      for (let i = 0; i < MAX_SLICES && !stopped; i++) {
        const frozen = deployer.pause();
        const now = Date.now();
        const files = await filesUnder(root);
        let wrote = false;
        for (const f of files) {
          if (known.has(f) || TEMP_NAME.test(f) || unheld(basename(f))) continue;
          known.add(f);
          if (!policy.holds(f)) {
            wrote = true;
            continue;
          }
          const n = ++seq;
          await rename(f, join(dirname(f), heldName(n, basename(f)))).catch(() => {});
          heldAt.set(n, now);
          counts.held++;
        }
        if (wrote) policy.wrote?.(now);
        for (const f of await show(files, false)) known.add(f);
        // A timer, not storage-kill-after's blocking slice: a hold needs no precision (a file renamed within a long slice
        // is held at its new path), and a blocking wait slowed big copies several-fold.
        if (frozen) deployer.resume();
        await new Promise((r) => setTimeout(r, SLICE_MS));
      }
    })();
    return () => {
      stopped = true;
      void stepping.then(() => {
        deployer.resume();
        if (counts.held > 0)
          recordHit(ctx, fault, `the store held back ${counts.held} uploaded file(s) of the action; ${counts.shown} shown by its end`);
        showLater(root);
      });
    };
  };

  const release = async () => {
    healed = true;
    await showing;
    for (const root of roots) await show(await filesUnder(root), true);
  };
  return { watch, release, counts };
}

/** A storage fault's inject: hold the next deployer actions' uploads; the heal shows them all. */
export function injectHold(ctx: Pick<FaultContext, 'history' | 'watchDeployer'>, fault: string, policy: HoldPolicy): Heal {
  const hold = holdUploads(ctx, fault, policy);
  const unwatch = ctx.watchDeployer(hold.watch);
  return async () => {
    unwatch();
    await hold.release();
  };
}
