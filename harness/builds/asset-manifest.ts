import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { AssetEntry, AssetKind } from './types.ts';

/**
 * Every `/_next/static/...` URL a build can serve, read from its output directory: the pages'
 * chunks, the lazy chunks only an `import()` asks for, CSS, media, and the per-build manifests.
 * Walking the directory (rather than parsing one bundler's manifests) covers both bundlers.
 */
export async function readAssets(appDir: string, buildId: string): Promise<{ assets: AssetEntry[]; publicFiles: string[] }> {
  const staticDir = join(appDir, '.next', 'static');
  // Plain code-unit order (not localeCompare): identical lists on every machine and locale.
  const assets = (await files(staticDir)).sort().map((rel) => ({ url: `/_next/static/${rel}`, kind: kindOf(rel, buildId) }));
  const publicFiles = (await files(join(appDir, 'public'))).sort().map((rel) => `/${rel}`);
  return { assets, publicFiles };
}

/** Kind of a file from its path below `.next/static/`. Turbopack puts CSS in `chunks/` too. */
export function kindOf(rel: string, buildId: string): AssetKind {
  if (rel.startsWith(`${buildId}/`)) return 'build-manifest';
  if (rel.endsWith('.css')) return 'css';
  if (rel.startsWith('media/')) return 'media';
  if (rel.startsWith('chunks/') && rel.endsWith('.js')) return 'chunk';
  return 'other';
}

async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  await walk(root);
  return out;
}

/** The file under public/ a public URL of a build serves: URLs carry the app's basePath, public/ does not. */
export function publicFileOf(build: { app?: { basePath: string } | undefined }, url: string): string {
  const base = build.app?.basePath ?? '';
  return base && url.startsWith(base) ? url.slice(base.length) : url;
}
