import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRouteTable } from './routes.ts';

const APP_PATHS = {
  '/page': '/',
  '/about/page': '/about',
  '/items/[id]/page': '/items/[id]',
  '/_not-found/page': '/_not-found',
  '/api/x/route': '/api/x',
};
const PAGES = {
  '/_app': 'pages/_app.js',
  '/_document': 'pages/_document.js',
  '/_error': 'pages/_error.js',
  '/legacy': 'pages/legacy.html',
  '/report': 'pages/report.js',
  '/api/hello': 'pages/api/hello.js',
  '/404': 'pages/404.html',
  '/500': 'pages/500.html',
  '/posts/[slug]': 'pages/posts/[slug].js',
};
const PRERENDER = {
  version: 4,
  routes: { '/': { srcRoute: null }, '/items/1': { srcRoute: '/items/[id]' }, '/items/2': { srcRoute: '/items/[id]' } },
};

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A build dir whose .next holds the given manifests (an undefined one is not written). */
async function build(m: { appPaths?: object; pages?: object; prerender?: object; routes?: object }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'skew-routes-test-'));
  dirs.push(dir);
  await mkdir(join(dir, '.next', 'server'), { recursive: true });
  if (m.appPaths) await writeFile(join(dir, '.next', 'app-path-routes-manifest.json'), JSON.stringify(m.appPaths));
  if (m.pages) await writeFile(join(dir, '.next', 'server', 'pages-manifest.json'), JSON.stringify(m.pages));
  if (m.prerender) await writeFile(join(dir, '.next', 'prerender-manifest.json'), JSON.stringify(m.prerender));
  if (m.routes) await writeFile(join(dir, '.next', 'routes-manifest.json'), JSON.stringify(m.routes));
  return dir;
}

describe('readRouteTable', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await build({ appPaths: APP_PATHS, pages: PAGES, prerender: PRERENDER });
  });

  it('lists the pages a browser can open, sorted by path, each with its router and kind', async () => {
    const { routes } = await readRouteTable(dir, '');
    expect(routes).toEqual([
      { path: '/', pattern: '/', router: 'app', kind: 'static' },
      { path: '/about', pattern: '/about', router: 'app', kind: 'static' },
      { path: '/items/1', pattern: '/items/[id]', router: 'app', kind: 'dynamic' },
      { path: '/items/2', pattern: '/items/[id]', router: 'app', kind: 'dynamic' },
      { path: '/legacy', pattern: '/legacy', router: 'pages', kind: 'static' },
      { path: '/report', pattern: '/report', router: 'pages', kind: 'ssr' },
    ]);
  });

  it('takes up to three pages of a dynamic route, the first prerendered paths in order (a blog or i18n site has no others)', async () => {
    const { routes } = await readRouteTable(dir, '');
    expect(routes.filter((r) => r.pattern === '/items/[id]').map((r) => r.path)).toEqual(['/items/1', '/items/2']);
    const many = await mkdtemp(join(tmpdir(), 'skew-routes-many-'));
    await mkdir(join(many, '.next', 'server'), { recursive: true });
    await writeFile(join(many, '.next', 'app-path-routes-manifest.json'), JSON.stringify({ '/[lang]/page': '/[lang]' }));
    const langs = Object.fromEntries(['/pt', '/en', '/de', '/cs', '/fr'].map((p) => [p, { srcRoute: '/[lang]' }]));
    await writeFile(join(many, '.next', 'prerender-manifest.json'), JSON.stringify({ routes: langs }));
    expect((await readRouteTable(many, '')).routes.map((r) => r.path)).toEqual(['/cs', '/de', '/en']);
    await rm(many, { recursive: true, force: true });
  });

  it('lists a dynamic route without prerendered params as unvisitable', async () => {
    const { unvisitable, routes } = await readRouteTable(dir, '');
    expect(unvisitable).toEqual(['/posts/[slug] (Pages Router, no prerendered params)']);
    expect(routes.some((r) => r.pattern === '/posts/[slug]')).toBe(false);
  });

  it("leaves out route handlers, API routes and Next's own pages", async () => {
    const patterns = (await readRouteTable(dir, '')).routes.map((r) => r.pattern);
    for (const p of ['/api/x', '/api/hello', '/_not-found', '/_app', '/_document', '/_error', '/404', '/500'])
      expect(patterns).not.toContain(p);
  });

  it('puts the basePath in front of every path (/ becomes the basePath itself), not in the pattern', async () => {
    const { routes } = await readRouteTable(dir, '/docs');
    expect(routes.map((r) => r.path)).toEqual(['/docs', '/docs/about', '/docs/items/1', '/docs/items/2', '/docs/legacy', '/docs/report']);
    expect(routes.map((r) => r.pattern)).toEqual(['/', '/about', '/items/[id]', '/items/[id]', '/legacy', '/report']);
  });

  it('treats a Pages Router .js page in the prerender manifest (getStaticProps) as static', async () => {
    const d = await build({
      pages: { '/blog': 'pages/blog.js', '/feed': 'pages/feed.js' },
      prerender: { routes: { '/blog': { srcRoute: null } } },
    });
    expect((await readRouteTable(d, '')).routes).toEqual([
      { path: '/blog', pattern: '/blog', router: 'pages', kind: 'static' },
      { path: '/feed', pattern: '/feed', router: 'pages', kind: 'ssr' },
    ]);
  });

  it('names an App Router dynamic route without params, and keeps one entry when both routers list a pattern', async () => {
    const d = await build({ appPaths: { '/page': '/', '/shop/[sku]/page': '/shop/[sku]' }, pages: { '/': 'pages/index.html' } });
    const t = await readRouteTable(d, '');
    expect(t.routes).toEqual([{ path: '/', pattern: '/', router: 'app', kind: 'static' }]);
    expect(t.unvisitable).toEqual(['/shop/[sku] (App Router, no prerendered params)']);
  });

  it("opens a Pages Router i18n app's pages where visitors do: the default locale's at the page's own path, once", async () => {
    const i18n = await build({
      routes: { i18n: { locales: ['en', 'de'], defaultLocale: 'en' } },
      pages: {
        '/_app': 'pages/_app.js',
        '/en': 'pages/en.html',
        '/de': 'pages/de.html',
        '/en/about': 'pages/en/about.html',
        '/en/404': 'pages/en/404.html',
        '/report': 'pages/report.js',
      },
    });
    expect((await readRouteTable(i18n, '')).routes).toEqual([
      { path: '/', pattern: '/', router: 'pages', kind: 'static' },
      { path: '/about', pattern: '/about', router: 'pages', kind: 'static' },
      { path: '/report', pattern: '/report', router: 'pages', kind: 'ssr' },
    ]);
  });

  it('is empty when the build has no manifests', async () => {
    expect(await readRouteTable(await build({}), '')).toEqual({ routes: [], unvisitable: [] });
  });
});
