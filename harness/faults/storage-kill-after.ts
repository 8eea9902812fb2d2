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
      // Stepped, not watched: the deployer runs in slices of about a millisecond (SIGCONT …
      // SIGSTOP) and its files are counted while it is stopped, so the kill lands within a file
      // or two of `files` whatever the machine's speed. (A recursive fs.watch misses files written
      // into a directory created a moment earlier, which is exactly what a copy does.)
      let stopped = false;
      // Files only (the directories a copy creates are not files), each under its final name.
      const count = async () => (await filesUnder(root)).filter((f) => !TEMP_NAME.test(f) && (!p.under || f.includes(p.under))).length;
      const step = async () => {
        const before = await count(); // earlier releases do not count
        for (let i = 0; i < 200_000 && !stopped; i++) {
          const frozen = deployer.pause();
          const created = (await count()) - before;
          if (created >= p.files) {
            fired = true;
            deployer.kill(`fault storage-kill-after (${created} files${p.under ? ` under ${p.under}` : ''})`);
            recordHit(ctx, 'storage-kill-after', `deployer killed after it created ${created} files${p.under ? ` under ${p.under}` : ''}`);
            return;
          }
          if (frozen) deployer.resume();
          await new Promise((r) => setTimeout(r, 1));
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
