import { lstat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * A cheap picture of directory trees (path → size and mtime), to tell whether a deployer wrote
 * where it may not: the read-only build and the deploy root's siblings. `except` are subtrees
 * that are allowed to change (the deploy root itself).
 */
export type Fingerprint = Map<string, string>;

const MAX_ENTRIES = 20_000; // bounded: a build has hundreds of files

export async function fingerprint(roots: string[], except: string[]): Promise<Fingerprint> {
  const fp: Fingerprint = new Map();
  const skip = new Set(except.map((e) => resolve(e)));
  const walk = async (dir: string): Promise<void> => {
    if (fp.size >= MAX_ENTRIES || skip.has(dir)) return;
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (skip.has(p)) continue;
      const st = await lstat(p).catch(() => undefined);
      if (!st) continue;
      fp.set(p, `${st.size}:${Math.trunc(st.mtimeMs)}`);
      // Symlinks are recorded, never followed (node_modules is one).
      if (e.isDirectory()) await walk(p);
    }
  };
  for (const r of roots) await walk(resolve(r));
  return fp;
}

/** Human lines for what appeared, vanished or changed between two pictures (first 10). */
export function describeChanges(before: Fingerprint, after: Fingerprint): string[] {
  const lines: string[] = [];
  for (const [p, v] of after) {
    if (!before.has(p)) lines.push(`created ${p}`);
    else if (before.get(p) !== v && !isDir(p, after)) lines.push(`modified ${p}`);
  }
  for (const p of before.keys()) if (!after.has(p)) lines.push(`deleted ${p}`);
  return lines.slice(0, 10);
}

/** Directory mtimes change whenever an entry inside changes; report the entries instead. */
function isDir(p: string, fp: Fingerprint): boolean {
  for (const k of fp.keys()) if (k.startsWith(`${p}/`)) return true;
  return false;
}
