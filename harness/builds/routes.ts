import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The HTML entry points of a build, read from `.next/routes-manifest.json` and
 * `.next/prerender-manifest.json`: what a deployer must purge from the CDN ("purge HTML only").
 * Dynamic routes rendered per request are no-store, so the edge never holds them; a dynamic
 * route with getStaticProps (ISR, `fallback`) is cached like a static page, including its pages
 * rendered on demand, which no build lists: those are purged by the route's prefix.
 */
export interface BuildRoutes {
  /** Concrete paths of static routes, e.g. `/`, `/about`, `/legacy`. */
  staticPaths: string[];
  /** Patterns of dynamic routes, e.g. `/items/[id]`. */
  dynamicPatterns: string[];
  /** Pages of dynamic routes prerendered at build (getStaticPaths' `paths`), e.g. `/legacy/ssg/one`. */
  prerenderedPaths: string[];
  /**
   * Fixed paths that answer with a redirect: next.config `redirects()` sources without
   * parameters, and the root, which an app without a root page redirects from its middleware
   * (i18n: `/` → `/en`). A cached redirect sends a new visitor to the old build's target.
   */
  redirectPaths: string[];
  /** Of those, the fixed sources of next.config `redirects()`: a page there answers 307/308, never itself. */
  redirectSources: string[];
  /**
   * The fixed start of each dynamic route whose pages are rendered on demand and then cached
   * (`fallback: 'blocking'` or `true`), e.g. `/legacy/ssg/` for `/legacy/ssg/[slug]`. None for a
   * route dynamic from its first segment: that prefix would purge the static files too.
   */
  onDemandPrefixes: string[];
}

interface RoutesManifest {
  basePath?: string;
  /** The Pages Router's i18n (next.config `i18n`): every page answers at `/<locale>/…` too. */
  i18n?: { locales: string[]; defaultLocale: string } | null;
  staticRoutes?: { page: string }[];
  dynamicRoutes?: { page: string }[];
  redirects?: { source: string; internal?: boolean }[];
}

interface PrerenderManifest {
  routes?: Record<string, { srcRoute?: string | null }>;
  dynamicRoutes?: Record<string, { fallback?: string | false | null }>;
}

export async function readRoutes(buildDir: string): Promise<BuildRoutes> {
  const manifest = JSON.parse(await readFile(join(buildDir, '.next', 'routes-manifest.json'), 'utf8')) as RoutesManifest;
  const prerender = (await readFile(join(buildDir, '.next', 'prerender-manifest.json'), 'utf8').then(
    (t) => JSON.parse(t) as PrerenderManifest,
    () => ({}) as PrerenderManifest,
  )) satisfies PrerenderManifest;
  const internal = (p: string) => p.startsWith('/_') || p.startsWith('/api/');
  // URLs a CDN sees carry the basePath (next.config), which the manifests keep apart.
  const base = manifest.basePath ?? '';
  const withBase = (p: string) => (base && p === '/' ? base : base + p);
  // Pages Router i18n: a page answers at its path (the default locale) and at `/<locale><path>`
  // for every locale, and a CDN caches each URL apart. The manifests name some with the locale,
  // some without: every page is listed at every URL it answers at.
  const locales = manifest.i18n?.locales ?? [];
  const unlocalized = (p: string) => {
    for (const l of locales) {
      if (p === `/${l}`) return '/';
      if (p.startsWith(`/${l}/`)) return p.slice(l.length + 1);
    }
    return p;
  };
  const atEveryLocale = (p: string) => {
    const page = unlocalized(p);
    return [page, ...locales.map((l) => `/${l}${page === '/' ? '' : page}`)];
  };
  const redirectSources = [
    ...new Set(
      (manifest.redirects ?? [])
        .filter((r) => !r.internal && !/[:(*]/.test(r.source) && !internal(r.source))
        .map((r) => (r.source.startsWith(base) ? r.source : withBase(r.source))),
    ),
  ].sort();
  return {
    staticPaths: [
      ...new Set(
        (manifest.staticRoutes ?? [])
          .map((r) => r.page)
          .filter((p) => !internal(p))
          .flatMap(atEveryLocale)
          .map(withBase),
      ),
    ].sort(),
    dynamicPatterns: (manifest.dynamicRoutes ?? [])
      .map((r) => r.page)
      .filter((p) => !internal(p))
      .sort(),
    prerenderedPaths: [
      ...new Set(
        Object.entries(prerender.routes ?? {})
          .filter(([path, r]) => r.srcRoute && r.srcRoute !== path && !internal(path))
          .flatMap(([path]) => atEveryLocale(path))
          .map(withBase),
      ),
    ].sort(),
    redirectPaths: [...new Set([withBase('/'), ...redirectSources])].sort(),
    redirectSources,
    onDemandPrefixes: Object.entries(prerender.dynamicRoutes ?? {})
      .filter(([pattern, r]) => r.fallback !== false && !internal(pattern))
      .map(([pattern]) => withBase(pattern.slice(0, pattern.indexOf('['))))
      // A route dynamic from its first segment (`/[lang]`) has no fixed start: its prefix would
      // be the whole site, `/_next/static` included. Its prerendered pages are purged by path.
      .filter((prefix) => prefix !== `${base}/` && prefix !== base)
      .sort(),
  };
}

/**
 * What a deployer purges after a switch: every HTML path the build lists (its pages, then the
 * paths that only redirect), and the prefixes of pages it renders on demand.
 */
export async function htmlToPurge(buildDir: string): Promise<{ htmlPaths: string[]; htmlPrefixes: string[] }> {
  const r = await readRoutes(buildDir);
  // Pages first: a deployer's health check takes the first path, and a redirect answers 307.
  // A page that next.config redirects away from (`/` → `/blog`) is a page in the build that
  // never answers as one: it goes after the pages that do.
  const pages = [...new Set([...r.staticPaths, ...r.prerenderedPaths])].sort();
  const redirected = new Set(r.redirectSources);
  return {
    htmlPaths: [
      ...pages.filter((p) => !redirected.has(p)),
      ...pages.filter((p) => redirected.has(p)),
      ...r.redirectPaths.filter((p) => !pages.includes(p)),
    ],
    htmlPrefixes: [...new Set(r.onDemandPrefixes)],
  };
}
