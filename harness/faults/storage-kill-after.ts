import { readdirSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { recordHit } from './fault.ts';
import { filesUnder, TEMP_NAME } from './storage-hold.ts';

const params = z.strictObject({
  /** Kill the deployer once it has created this many files in its deploy root… */
  files: z.number().int().min(1).max(100_000).default(60),
  /** …counting only paths that contain this (e.g. `/static/`: part-way through the static files). */
  under: z.string().min(1).optional(),
});

/**
 * The deploy job dies part-way through its upload (a CI runner lost, an OOM kill): the next
 * deployer action gets SIGKILL, with its whole process group, after it created `files` files in
 * the deploy root. The stack must stay consistent — or the deployer's rerun must repair it.
 */
export const storageKillAfter: FaultKind<z.infer<typeof params>> = {
  name: 'storage-kill-after',
  area: 'storage',
  description:
    'The next deployer action is killed (SIGKILL to its process group) after it created `files` files in the deploy root. Upload to a temporary name and switch atomically, and make a rerun finish the job: a half-copied release must never go live, nor be taken for complete by the rerun.',
  params,
  label: (p) => `the next deployer action is killed after ${p.files} files${p.under ? ` under ${p.under}` : ''}`,
  async inject(ctx, p) {
    let fired = false;
    const unwatch = ctx.watchDeployer((root, deployer) => {
      if (fired) return () => {};
      // Earlier releases do not count. Read before this returns, so before the action's process
      // exists (the deploy step starts it after it hands the action to this watch).
      const before = new Set(entriesUnderSync(root));
      // Stepped, not watched: the deployer runs in slices of about a millisecond (SIGCONT …
      // SIGSTOP) and its files are counted while it is stopped. (A recursive fs.watch misses files
      // written into a directory created a moment earlier, which is exactly what a copy does.)
      let stopped = false;
      const created = async () => (await filesUnder(root)).filter((f) => !before.has(f));
      // Files only (the directories a copy creates are not files), each under its final name.
      const counts = (f: string) => !TEMP_NAME.test(f) && (!p.under || f.includes(p.under));
      const where = p.under ? ` under ${p.under}` : '';
      const step = async () => {
        for (let i = 0; i < 200_000 && !stopped; i++) {
          const frozen = deployer.pause();
          const now = await created();
          const n = now.filter(counts).length;
          if (n >= p.files) {
            fired = true;
            // A busy machine lets a slice run long (a copy writes dozens of files in a few ms):
            // while the group is frozen, what it wrote past the limit goes, as if the kill had
            // landed on time. A deployer that cannot be frozen (a module) keeps all it wrote.
            const removed = frozen && n > p.files ? await trimTo(root, before, counts, p.files) : 0;
            deployer.kill(`fault storage-kill-after (${p.files} files${where})`);
            recordHit(
              ctx,
              'storage-kill-after',
              `deployer killed after it created ${p.files} files${where}` +
                (removed ? ` (${removed} it wrote in the same slice removed, as if the kill had landed on time)` : ''),
            );
            return;
          }
          if (frozen) {
            deployer.resume();
            runSlice(1);
          } else await new Promise((r) => setTimeout(r, 1));
        }
      };
      const running = step();
      return () => {
        stopped = true;
        void running.then(() => deployer.resume());
      };
    });
    return async () => unwatch();
  },
};

/** Every file and directory under `root`, read at once; none when it does not exist yet. */
function entriesUnderSync(root: string): string[] {
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true }).map((d) => join(d.parentPath, d.name));
  } catch {
    return [];
  }
}

/**
 * Removes what a frozen deployer made after its `limit`-th counted file: the counted files past
 * it and every other file or directory it created later. Order is creation (birth) time, the
 * change time where the filesystem keeps none, then the path (a copy goes in name order).
 * Returns how many files it removed.
 */
async function trimTo(root: string, before: Set<string>, counts: (f: string) => boolean, limit: number): Promise<number> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const made = await Promise.all(
    entries
      .map((d) => ({ f: join(d.parentPath, d.name), file: d.isFile() }))
      .filter(({ f }) => !before.has(f))
      .map(async (e) => {
        const s = await stat(e.f, { bigint: true }).catch(() => undefined);
        return { ...e, t: s ? s.birthtimeNs || s.ctimeNs : undefined };
      }),
  );
  const ordered = made
    .filter((x): x is { f: string; file: boolean; t: bigint } => x.t !== undefined)
    .sort((a, b) => (a.t === b.t ? a.f.localeCompare(b.f) : a.t < b.t ? -1 : 1));
  const kept = ordered.filter((x) => x.file && counts(x.f)).slice(0, limit);
  const cutoff = kept.at(-1)?.t ?? 0n;
  const keep = new Set(kept.map((x) => x.f));
  const gone = ordered.filter((x) => !keep.has(x.f) && (x.t > cutoff || (x.file && counts(x.f))));
  // Directories made later hold only what was made later; the deepest first.
  for (const x of gone.sort((a, b) => b.f.length - a.f.length)) await rm(x.f, { recursive: true, force: true });
  return gone.filter((x) => x.file).length;
}

const SLICE = new Int32Array(new SharedArrayBuffer(4));
/**
 * Lets a resumed deployer run for `ms`, timed by a blocking wait rather than a timer: on a busy
 * event loop a 1 ms timer fired hundreds of ms late, and a copy then finished and renamed its
 * release into place within one slice, which a fault counting files cannot undo faithfully
 * (trimming that release left a complete-looking release missing files, a state no real kill
 * makes). The harness's loop is blocked that long per slice while this fault steps.
 */
function runSlice(ms: number): void {
  Atomics.wait(SLICE, 0, 0, ms);
}
