import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The HTML entry points of a build, read from `.next/routes-manifest.json`: what a deployer
 * must purge from the CDN ("purge HTML only"). Dynamic routes cannot be listed; Next marks
 * them no-store, so the edge never holds them.
 */
export interface BuildRoutes {
  /** Concrete paths of static routes, e.g. `/`, `/about`, `/legacy`. */
  staticPaths: string[];
  /** Patterns of dynamic routes, e.g. `/items/[id]`. */
  dynamicPatterns: string[];
}

interface RoutesManifest {
  basePath?: string;
  staticRoutes?: { page: string }[];
  dynamicRoutes?: { page: string }[];
}

export async function readRoutes(buildDir: string): Promise<BuildRoutes> {
  const manifest = JSON.parse(await readFile(join(buildDir, '.next', 'routes-manifest.json'), 'utf8')) as RoutesManifest;
  const internal = (p: string) => p.startsWith('/_') || p.startsWith('/api/');
  // URLs a CDN sees carry the basePath (next.config), which the manifest keeps apart.
  const base = manifest.basePath ?? '';
  return {
    staticPaths: (manifest.staticRoutes ?? [])
      .map((r) => r.page)
      .filter((p) => !internal(p))
      .map((p) => (base && p === '/' ? base : base + p))
      .sort(),
    dynamicPatterns: (manifest.dynamicRoutes ?? [])
      .map((r) => r.page)
      .filter((p) => !internal(p))
      .sort(),
  };
}
