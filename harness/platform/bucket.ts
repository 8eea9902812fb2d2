import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

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

/** Another app sharing the bucket, as a real bucket holds several: a deployer's GC must never reach it. */
export const NEIGHBOUR_APP = 'shop';
const NEIGHBOUR_OBJECTS = [
  'shop-build-1/_buildManifest.js',
  'shop-build-1/_ssgManifest.js',
  'shop-build-2/_buildManifest.js',
  'shop-build-2/_ssgManifest.js',
  'chunks/shop-main.js',
  'css/shop.css',
];

/**
 * Seeds the neighbour's objects under `<bucket>/shop/_next/static/`, uploaded a day ago (older
 * than any build of ours, the first a careless "oldest first" GC would take).
 */
export async function seedNeighbour(bucketDir: string): Promise<void> {
  const dayAgo = new Date(Date.now() - 86_400_000);
  for (const key of NEIGHBOUR_OBJECTS) {
    const file = join(bucketDir, NEIGHBOUR_APP, '_next', 'static', key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `/* ${NEIGHBOUR_APP}: ${key} */\n`);
    await utimes(file, dayAgo, dayAgo);
  }
}

/**
 * The bucket in one walk: `app`'s objects under `<app>/_next/static/` (keys relative to it, what
 * the edge serves) and every other object (keys from the bucket root: what a deploy of `app`
 * must leave alone).
 */
export async function listBucket(bucketDir: string, app: string): Promise<{ app: Set<string>; outside: Set<string> }> {
  const prefix = `${app}/_next/static/`;
  const out = { app: new Set<string>(), outside: new Set<string>() };
  for (const key of await listObjects(bucketDir))
    if (key.startsWith(prefix)) out.app.add(key.slice(prefix.length));
    else out.outside.add(key);
  return out;
}
