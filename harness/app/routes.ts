import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A page a browser can open, found in the build output (never guessed from the source tree). */
export interface AppRoute {
  /** URL path a browser loads, basePath included: `/docs/items/1`. */
  path: string;
  /** The route as Next names it: `/items/[id]`. */
  pattern: string;
  router: 'app' | 'pages';
  /** static: prerendered HTML; dynamic: a concrete path of a dynamic route; ssr: rendered per request (gSSP). */
  kind: 'static' | 'dynamic' | 'ssr';
}

export interface BuildRouteTable {
  routes: AppRoute[];
  /** Dynamic routes with no prerendered path: a browser cannot be sent there without knowing params. */
  unvisitable: string[];
}

async function json<T>(path: string): Promise<T | undefined> {
  return readFile(path, 'utf8').then(
    (t) => JSON.parse(t) as T,
    () => undefined,
  );
}

/** Concrete pages taken from each dynamic route's prerendered params. */
export const SAMPLES_PER_ROUTE = 3;

const internal = (p: string) => p.startsWith('/_') || p === '/api' || p.startsWith('/api/') || p === '/404' || p === '/500';

/**
 * Every page of a build, from its manifests: `app-path-routes-manifest.json` (App Router pages),
 * `server/pages-manifest.json` (Pages Router, `.html` = static), `prerender-manifest.json`
 * (the concrete paths of dynamic routes, from generateStaticParams / getStaticPaths).
 * Route handlers, API routes and Next's own pages are left out: a browser does not navigate to them.
 */
export async function readRouteTable(buildDir: string, basePath: string): Promise<BuildRouteTable> {
  const next = join(buildDir, '.next');
  const appPaths = (await json<Record<string, string>>(join(next, 'app-path-routes-manifest.json'))) ?? {};
  const listed = (await json<Record<string, string>>(join(next, 'server', 'pages-manifest.json'))) ?? {};
  // Pages Router i18n names static pages per locale (`/en/about`): a visitor opens the default
  // locale's at the page's own path (`/about`); the other locales' are the same pages again.
  const i18n = (await json<{ i18n?: { locales: string[]; defaultLocale: string } | null }>(join(next, 'routes-manifest.json')))?.i18n;
  const pages: Record<string, string> = {};
  for (const [pattern, file] of Object.entries(listed)) {
    const locale = i18n?.locales.find((l) => pattern === `/${l}` || pattern.startsWith(`/${l}/`));
    if (!locale) pages[pattern] = file;
    else if (locale === i18n!.defaultLocale) pages[pattern.slice(locale.length + 1) || '/'] = file;
  }
  const prerender =
    (await json<{ routes?: Record<string, { srcRoute?: string | null }> }>(join(next, 'prerender-manifest.json')))?.routes ?? {};
  // A few concrete pages per dynamic route: blogs, docs and i18n sites have no other pages, and
  // an old tab needs a page it has not loaded yet to navigate to.
  const samples = new Map<string, string[]>();
  for (const [path, r] of Object.entries(prerender).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!r.srcRoute || r.srcRoute === path) continue;
    const list = samples.get(r.srcRoute) ?? [];
    if (list.length < SAMPLES_PER_ROUTE) samples.set(r.srcRoute, [...list, path]);
  }

  const routes: AppRoute[] = [];
  const unvisitable: string[] = [];
  const add = (pattern: string, router: AppRoute['router'], ssr: boolean) => {
    if (internal(pattern)) return;
    if (!pattern.includes('['))
      return void routes.push({
        path: basePath + (pattern === '/' && basePath ? '' : pattern),
        pattern,
        router,
        kind: ssr ? 'ssr' : 'static',
      });
    const some = samples.get(pattern);
    if (some) for (const sample of some) routes.push({ path: basePath + sample, pattern, router, kind: 'dynamic' });
    else unvisitable.push(`${pattern} (${router === 'app' ? 'App' : 'Pages'} Router, no prerendered params)`);
  };
  for (const [entry, pattern] of Object.entries(appPaths)) if (entry.endsWith('/page')) add(pattern, 'app', false);
  for (const [pattern, file] of Object.entries(pages)) {
    if (routes.some((r) => r.pattern === pattern)) continue;
    // getStaticProps pages are in the prerender manifest, per locale under i18n.
    const prerendered = pattern in prerender || (i18n && `/${i18n.defaultLocale}${pattern === '/' ? '' : pattern}` in prerender);
    add(pattern, 'pages', file.endsWith('.js') && !prerendered);
  }
  routes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { routes, unvisitable: unvisitable.sort() };
}
