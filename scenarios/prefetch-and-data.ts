import type { Scenario } from '../harness/scenario/parse.ts';
import { ALL_WORLDS, CLICKS_THAT_NEED_THE_SERVER } from './bases.ts';

/**
 * In pinned the edge sends a tab's RSC and data requests to its build while that build's server
 * runs (the document's script keeps three releases); the merged static store stops A's server at
 * once, so they reach B and Next loads the page anew. On a VPS and in a rolling update only
 * own-routing keeps them on A; what the document's script does there is the scenario's own.
 */
function references(
  elsewhere: { deployer: string; fails?: string[] },
  extra: { deployer: string; fails: string[] }[] = [],
  offPlatform: { deployer: string; fails: string[] }[] = [],
): Scenario['reference'] {
  const script = elsewhere.fails
    ? { broken: [{ deployer: elsewhere.deployer, fails: elsewhere.fails }] }
    : { recovering: [elsewhere.deployer], broken: [] };
  return {
    good: 'releases-symlink',
    broken: [{ deployer: 'merged-store', fails: ['no-hard-reload'] }, ...extra],
    worlds: {
      'single-origin': {
        good: 'own-routing',
        ...script,
        broken: [
          ...script.broken,
          { deployer: 'own-routing-stopped', fails: ['no-server-errors', 'no-hard-reload'] },
          ...extra,
          ...offPlatform,
        ],
      },
      rolling: { good: 'own-routing', ...script, broken: [...script.broken, ...extra, ...offPlatform] },
    },
  };
}

/**
 * Next's default prefetch (vercel/next.js test/e2e/app-dir/segment-cache/deployment-skew): a route
 * prefetched before the deploy needs no server on click, so it hides skew there; one prefetched
 * after the deploy, or a dynamic route whose data is fetched on click, asks the server.
 */
export const prefetchedLinkAfterDeploy: Scenario = {
  name: 'prefetched-link-after-deploy',
  title: 'Links with default prefetch, prefetched before and after B is deployed',
  description:
    "Tabs on A's /prefetch page: one has /about prefetched (in view on load), one /items/8 (scrolled to before the deploy); B is deployed; a third opens a menu that shows a link to /items/7 and Next prefetches it then; each clicks, and a fourth follows a link to the page it is on. Every click must land on a working page of the tab's build, without a full page load.",
  source:
    'vercel/next.js test/e2e/app-dir/segment-cache/deployment-skew ("prefetching a dynamic/static page on a different deployment"), issue #39730 "attempted to hard navigate to the same URL"',
  versions: ['A', 'B'],
  worlds: ALL_WORLDS,
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'viewport-a', path: '/prefetch' },
    { kind: 'prefetch', session: 'viewport-a', link: 'prefetch-viewport', how: 'scroll' },
    { kind: 'openSession', session: 'below-a', path: '/prefetch' },
    { kind: 'prefetch', session: 'below-a', link: 'prefetch-below', how: 'hover' },
    { kind: 'openSession', session: 'revealed-a', path: '/prefetch' },
    { kind: 'openSession', session: 'same-url-a', path: '/prefetch' },
    { kind: 'deploy', version: 'B' },
    { kind: 'navigate', session: 'viewport-a', link: 'prefetch-viewport', expect: 'page-about' },
    { kind: 'navigate', session: 'below-a', link: 'prefetch-below', expect: 'page-item' },
    { kind: 'prefetch', session: 'revealed-a', link: 'prefetch-revealed', how: 'reveal' },
    { kind: 'navigate', session: 'revealed-a', link: 'prefetch-revealed', expect: 'page-item' },
    { kind: 'navigate', session: 'same-url-a', link: 'link-same-url', expect: 'page-prefetch' },
    { kind: 'openSession', session: 'prefetch-b', path: '/prefetch' },
    { kind: 'navigate', session: 'prefetch-b', link: 'prefetch-viewport', expect: 'page-about' },
  ],
  checks: CLICKS_THAT_NEED_THE_SERVER,
  // Elsewhere the document's script turns each click that needs the server into one clean full
  // page load. Hiding Next's x-nextjs-deployment-id (a hardening snippet) makes every click one.
  reference: references(
    { deployer: 'releases-symlink' },
    [],
    [{ deployer: 'hide-next-headers', fails: ['deployment-id-headers', 'no-hard-reload'] }],
  ),
};

/**
 * The Pages Router's data routes (vercel/next.js test/e2e/pages-ssg-data-deployment-skew): a click
 * to a getStaticProps page fetches /_next/data/<build id>/….json with x-deployment-id. A server of
 * another build answers 404 (another build id) or data of its own deployment, and Next loads the
 * page anew either way.
 */
export const ssgDataAfterDeploy: Scenario = {
  name: 'ssg-data-after-deploy',
  title: 'getStaticProps pages (revalidate, getStaticPaths) from tabs opened on A, after B is deployed',
  description:
    "Tabs on A's /legacy/data page; one has a getStaticProps page prefetched. B is deployed. The tabs follow links to a prerendered page (revalidate: 1, regenerated after a second), to one getStaticPaths did not list (fallback: blocking, rendered on first request) and to the prefetched one, and one follows a link to the very page it is on. Each must show props of the tab's build without a full page load; new visitors get B's pages, also where the edge held A's copy of a prerendered page or of one rendered on demand.",
  source:
    'vercel/next.js test/e2e/pages-ssg-data-deployment-skew ("index to gsp", "gsp to gssp"), issue #39730 "attempted to hard navigate to the same URL"; rollback-nextjs-static-assets: "CDN Purge Strategy"',
  versions: ['A', 'B'],
  worlds: ALL_WORLDS,
  steps: [
    { kind: 'deploy', version: 'A' },
    // The edge now holds A's copy of a prerendered page and of one rendered on demand.
    { kind: 'probe', label: 'ssg-after-A', paths: ['/legacy/ssg/one', '/legacy/ssg/one', '/legacy/ssg/four', '/legacy/ssg/four'] },
    { kind: 'openSession', session: 'ssg-a', path: '/legacy/data' },
    { kind: 'openSession', session: 'fallback-a', path: '/legacy/data' },
    { kind: 'openSession', session: 'prefetched-a', path: '/legacy/data' },
    { kind: 'prefetch', session: 'prefetched-a', link: 'link-ssg-prefetched', how: 'scroll' },
    { kind: 'openSession', session: 'same-url-a', path: '/legacy/ssg/one' },
    { kind: 'deploy', version: 'B' },
    { kind: 'navigate', session: 'ssg-a', link: 'link-ssg', expect: 'page-ssg-one' },
    { kind: 'navigate', session: 'fallback-a', link: 'link-ssg-fallback', expect: 'page-ssg-two' },
    { kind: 'navigate', session: 'prefetched-a', link: 'link-ssg-prefetched', expect: 'page-ssg-three' },
    { kind: 'navigate', session: 'same-url-a', link: 'link-ssg-same', expect: 'page-ssg-one' },
    // New visitors get B's pages, the edge's copies included.
    { kind: 'openSession', session: 'ssg-b', path: '/legacy/ssg/one' },
    { kind: 'openSession', session: 'on-demand-b', path: '/legacy/ssg/four' },
    { kind: 'navigate', session: 'ssg-b', link: 'link-data', expect: 'page-data' },
  ],
  checks: CLICKS_THAT_NEED_THE_SERVER,
  // Elsewhere the document's script reloads the other clicks, and the click to the page the tab is
  // on does nothing: Next refuses to hard-navigate to the same URL (#39730). Purging only the
  // HTML paths a build lists leaves the edge's copies of pages rendered on demand.
  reference: references({ deployer: 'releases-symlink', fails: ['no-chunk-load-error', 'no-hard-reload'] }, [
    { deployer: 'purge-listed-html', fails: ['new-sessions-current'] },
  ]),
};
