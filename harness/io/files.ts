import { accessSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HarnessError } from '../errors/harness-error.ts';

/** Filesystem helpers shared by the build caches (fixture and app builds). */

const LOCK_WAIT_MS = 15 * 60_000;

/**
 * A lock across processes (mkdir is atomic) so one fixture's work directory serves one build at
 * a time. A lock whose owner died (Ctrl-C, crash) is taken over.
 */
export async function lock(path: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(path);
      await writeFile(join(path, 'pid'), String(process.pid));
      return () => rm(path, { recursive: true, force: true });
    } catch (e) {
      if (!isErrno(e, 'EEXIST')) throw e;
    }
    const owner = Number(await readFile(join(path, 'pid'), 'utf8').catch(() => '0'));
    // No pid file yet: the owner is between its mkdir and writeFile, or died right there.
    const stale = owner ? !alive(owner) : Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0) > 10_000;
    if (stale) await rm(path, { recursive: true, force: true });
    else if (Date.now() > deadline)
      throw new HarnessError(
        'BUILD_FAILED',
        `another build (pid ${owner}) has held ${path} for ${LOCK_WAIT_MS / 60_000} min`,
        `wait for it, or remove ${path} if no build is running`,
      );
    else await sleep(200);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isErrno(e, 'EPERM');
  }
}

export function isErrno(e: unknown, code: string): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === code;
}

/** rename, or copy + delete when a custom buildsDir is on another filesystem than WORK_DIR. */
export async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if (!isErrno(e, 'EXDEV')) throw e;
    await cp(from, to, { recursive: true, verbatimSymlinks: true });
    await rm(from, { recursive: true, force: true });
  }
}

/**
 * nginx workers may run as another user: everything they serve must be world-readable. Symlinks
 * are not followed: a link's own mode means nothing on Linux, and what it points to (a
 * dependency snapshot, a Turbopack `.next/node_modules/<pkg>-<hash>` link) is not served.
 */
export async function worldReadable(p: string): Promise<void> {
  const st = await lstat(p);
  if (st.isSymbolicLink()) return;
  await chmod(p, st.mode | (st.isDirectory() ? 0o555 : 0o444));
  if (st.isDirectory()) for (const e of await readdir(p)) await worldReadable(join(p, e));
}

/**
 * After a tree moved from `from` to `to`: each relative symlink in it that pointed outside the
 * tree (Turbopack links `.next/node_modules/<pkg>-<hash>` to the package in the build's own
 * layout) would now dangle, so it is pointed at the same target by its absolute path. Links
 * inside the tree keep working as they are. Returns the links rewritten.
 */
export async function keepSymlinksAfterMove(from: string, to: string): Promise<string[]> {
  const rewritten: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      if (!e.isSymbolicLink()) continue;
      const target = await readlink(p);
      if (isAbsolute(target)) continue;
      const before = resolve(join(from, relative(to, dir)), target);
      const rel = relative(from, before);
      if (!(rel.startsWith('..') || isAbsolute(rel))) continue;
      await rm(p);
      await symlink(before, p);
      rewritten.push(relative(to, p));
    }
  };
  await walk(to);
  return rewritten;
}

/** Whether this process may use `path` as `mode` asks (fs.constants.W_OK, X_OK), without throwing. */
export function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
