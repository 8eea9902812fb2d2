import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { htmlToPurge } from './routes.ts';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function buildWith(routes: object, prerender: object): string {
  const d = mkdtempSync(join(tmpdir(), 'skew-routes-'));
  made.push(d);
  mkdirSync(join(d, '.next'));
  writeFileSync(join(d, '.next', 'routes-manifest.json'), JSON.stringify(routes));
  writeFileSync(join(d, '.next', 'prerender-manifest.json'), JSON.stringify(prerender));
  return d;
}

describe('the HTML a deployer purges after a switch', () => {
  it("an i18n app (examples/app-dir-i18n-routing's shape): each language page generateStaticParams made, the root its middleware redirects, and no prefix (`/` would purge /_next/static)", async () => {
    const dir = buildWith(
      {
        staticRoutes: [{ page: '/_not-found' }],
        dynamicRoutes: [{ page: '/[lang]' }, { page: '/[lang]/some/custom/path' }],
        redirects: [],
      },
      {
        routes: {
          '/en': { srcRoute: '/[lang]' },
          '/cs': { srcRoute: '/[lang]' },
          '/cs/some/custom/path': { srcRoute: '/[lang]/some/custom/path' },
        },
        dynamicRoutes: { '/[lang]': { fallback: null }, '/[lang]/some/custom/path': { fallback: null } },
      },
    );
    expect(await htmlToPurge(dir)).toEqual({ htmlPaths: ['/cs', '/cs/some/custom/path', '/en', '/'], htmlPrefixes: [] });
  });

  it("a Pages Router app with next.config i18n (create-t3-app's): every page at its own path and at each locale's, a CDN caches each apart", async () => {
    const dir = buildWith(
      {
        i18n: { locales: ['en', 'de'], defaultLocale: 'en' },
        staticRoutes: [{ page: '/' }, { page: '/about' }],
        dynamicRoutes: [{ page: '/posts/[slug]' }],
        redirects: [{ source: '/:path+/', internal: true }],
      },
      {
        routes: { '/en/posts/one': { srcRoute: '/posts/[slug]' }, '/de/posts/one': { srcRoute: '/posts/[slug]' } },
        dynamicRoutes: { '/posts/[slug]': { fallback: false } },
      },
    );
    expect((await htmlToPurge(dir)).htmlPaths).toEqual([
      '/',
      '/about',
      '/de',
      '/de/about',
      '/de/posts/one',
      '/en',
      '/en/about',
      '/en/posts/one',
      '/posts/one',
    ]);
  });

  it("next.config redirects with fixed sources (under basePath), never Next's internal trailing-slash rule or patterns", async () => {
    const dir = buildWith(
      {
        basePath: '/shop',
        staticRoutes: [{ page: '/' }, { page: '/about' }],
        redirects: [{ source: '/shop/:path+/', internal: true }, { source: '/shop/old-about' }, { source: '/shop/blog/:slug' }],
      },
      {},
    );
    expect((await htmlToPurge(dir)).htmlPaths).toEqual(['/shop', '/shop/about', '/shop/old-about']);
  });

  it('a page next.config redirects away from (a blog whose `/` sends to `/blog`) is not first: a health check there sees 308 forever', async () => {
    const dir = buildWith(
      {
        staticRoutes: [{ page: '/' }, { page: '/about' }, { page: '/blog' }],
        redirects: [{ source: '/:path+/', internal: true }, { source: '/' }],
      },
      {},
    );
    expect((await htmlToPurge(dir)).htmlPaths).toEqual(['/about', '/blog', '/']);
  });
});
