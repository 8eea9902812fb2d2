import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * The release store as the rollback document lays it out: `releases/<deploymentId>/` and an
 * atomic `current` symlink. Deployers write it; the stack only reads it to know which releases
 * exist and which one is current.
 */
export const RELEASES = 'releases';
export const CURRENT = 'current';
/** Capistrano's `shared/`: what outlives releases. The app's SQLite database lives here. */
export const DATABASE = 'shared/app.db';

/** Only directory names shaped like deployment ids count (they reach the nginx config). */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface StoreState {
  current?: string;
  /** Release ids, newest first (by directory mtime: deployers touch it on deploy). */
  releases: string[];
}

export async function readStore(root: string): Promise<StoreState> {
  const dir = join(root, RELEASES);
  const names = (await readdir(dir, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && ID.test(d.name))
    .map((d) => d.name);
  const withTimes = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })));
  const releases = withTimes.sort((a, b) => b.t - a.t || a.n.localeCompare(b.n)).map((x) => x.n);
  const current = await currentRelease(root);
  return { releases, ...(current ? { current } : {}) };
}

async function currentRelease(root: string): Promise<string | undefined> {
  const link = join(root, CURRENT);
  const st = await lstat(link).catch(() => undefined);
  if (!st?.isSymbolicLink()) return undefined;
  const target = basename(await readlink(link));
  return ID.test(target) ? target : undefined;
}
