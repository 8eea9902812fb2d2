import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * The object keys under `<bucket>/<app>/_next/static/`, relative to it (`chunks/x.js`,
 * `<buildId>/_buildManifest.js`): what the edge can serve. Bounded by what deployers upload.
 */
export async function listObjects(staticDir: string): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.add(relative(staticDir, p));
    }
  };
  await walk(staticDir);
  return out;
}

/** What changed between two listings. */
export function diffObjects(before: Set<string>, after: Set<string>): { uploaded: string[]; deleted: string[] } {
  return { uploaded: [...after].filter((k) => !before.has(k)).sort(), deleted: [...before].filter((k) => !after.has(k)).sort() };
}
