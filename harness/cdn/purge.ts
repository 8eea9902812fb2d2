import { open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { hostPathOfKey, normalizeUrl } from '../core/cache-key.ts';

/**
 * Purge for an open-source nginx, which has none: every cache file carries a `KEY: ` line near
 * its start, so we read it, match it against the request, and delete the file. nginx treats a
 * missing file as a miss (verified: next request MISS, then HIT again). Works the same for the
 * container runtime because the cache directory is bind-mounted.
 */
export type PurgeRequest = { files: string[] } | { prefixes: string[] } | { hosts: string[] } | { everything: true };

export interface CacheEntry {
  file: string;
  key: string;
  /** `host/path?query` of the cached URL (scheme and port dropped, as Cloudflare matches). */
  hostPath: string;
}

export interface PurgeOutcome {
  /** The cache keys that were evicted. */
  evicted: string[];
}

const KEY_MARK = '\nKEY: ';

export async function listCache(cacheDir: string): Promise<CacheEntry[]> {
  const entries: CacheEntry[] = [];
  for (const file of await walk(cacheDir)) {
    const key = await readKey(file);
    if (key !== undefined) entries.push({ file, key, hostPath: hostPathOfKey(key) });
  }
  return entries;
}

export async function purge(cacheDir: string, req: PurgeRequest): Promise<PurgeOutcome> {
  const match = matcher(req);
  const evicted: string[] = [];
  for (const e of await listCache(cacheDir)) {
    if (!match(e.hostPath)) continue;
    await unlink(e.file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    evicted.push(e.key);
  }
  return { evicted: evicted.sort() };
}

/** Pure matching, shared with tests: does this request cover the cached `host/path?query`? */
export function matcher(req: PurgeRequest): (hostPath: string) => boolean {
  if ('everything' in req) return () => true;
  if ('files' in req) {
    const wanted = new Set(req.files.map(normalizeUrl));
    return (hp) => wanted.has(hp);
  }
  if ('prefixes' in req) {
    const prefixes = req.prefixes.map(normalizeUrl);
    return (hp) => prefixes.some((p) => hp.startsWith(p));
  }
  const hosts = new Set(req.hosts.map((h) => h.toLowerCase()));
  return (hp) => hosts.has(hp.slice(0, hp.indexOf('/') < 0 ? hp.length : hp.indexOf('/')));
}

async function readKey(file: string): Promise<string | undefined> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('latin1');
    const at = text.indexOf(KEY_MARK);
    if (at < 0) return undefined;
    const end = text.indexOf('\n', at + KEY_MARK.length);
    return text.slice(at + KEY_MARK.length, end < 0 ? undefined : end);
  } finally {
    await fh.close();
  }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const items = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const it of items) {
    const p = join(dir, it.name);
    if (it.isDirectory()) out.push(...(await walk(p)));
    else if (it.isFile()) out.push(p);
  }
  return out;
}
