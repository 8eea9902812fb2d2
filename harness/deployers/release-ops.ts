import { execFile } from 'node:child_process';
import { cp, mkdir, rename, rm, stat, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Build } from '../builds/types.ts';
import { CURRENT, readStore, RELEASES } from '../stack/release-store.ts';

/** File operations the reference deployers share, written as the rollback document does them. */

/** Copies the build into `releases/<deploymentId>/` (via a temp dir, renamed into place). */
export async function installRelease(root: string, build: Build): Promise<string> {
  const dir = join(root, RELEASES, build.deploymentId);
  if (await exists(dir)) {
    await touch(dir);
    return dir;
  }
  const tmp = join(root, `.${build.deploymentId}.tmp-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(root, RELEASES), { recursive: true });
  await copyTree(build.dir, tmp);
  await rm(join(tmp, '.next', 'cache'), { recursive: true, force: true }); // the bundler's cache is no artifact
  await rename(tmp, dir);
  await touch(dir);
  return dir;
}

/** `ln -sfn releases/<id> current`, atomically: a new link renamed over the old one. */
export async function switchCurrent(root: string, deploymentId: string): Promise<void> {
  const tmp = join(root, `.current.tmp-${process.pid}`);
  await rm(tmp, { force: true });
  await symlink(join(RELEASES, deploymentId), tmp);
  await rename(tmp, join(root, CURRENT));
}

/** Removes all but the newest `keep` releases; never the current one. Returns removed ids. */
export async function pruneReleases(root: string, keep: number): Promise<string[]> {
  const { releases, current } = await readStore(root);
  const doomed = releases.filter((id, i) => i >= keep && id !== current);
  for (const id of doomed) await rm(join(root, RELEASES, id), { recursive: true, force: true });
  return doomed;
}

/** HTML entry points of a build as absolute URLs on the site. */
export function htmlUrls(siteUrl: string, paths: string[]): string[] {
  return paths.map((p) => new URL(p, siteUrl).toString());
}

/**
 * `cp -a`, as a deploy script would: ~10× faster than Node's recursive fs.cp on a build's many
 * small files (measured 550 ms → ~50 ms). Falls back to fs.cp where there is no GNU cp.
 */
async function copyTree(from: string, to: string): Promise<void> {
  const ok = await new Promise<boolean>((resolve) => {
    execFile('cp', ['-a', from, to], (err) => resolve(!err));
  });
  if (!ok) {
    await rm(to, { recursive: true, force: true });
    await cp(from, to, { recursive: true });
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

async function touch(p: string): Promise<void> {
  const now = new Date();
  await utimes(p, now, now);
}
