import type { Scenario } from '../harness/scenario/parse.ts';
import { ALL_WORLDS, CLICKS_THAT_NEED_THE_SERVER } from './bases.ts';
import type { Step } from '../harness/steps/index.ts';

/**
 * In pinned the edge sends a tab's requests to its build while that build's server runs; the
 * merged static store stops A's server at once. Elsewhere only own-routing keeps them on A.
 */
function references(
  script: Scenario['reference']['broken'][number] | string,
  extra: Scenario['reference']['broken'] = [],
): Scenario['reference'] {
  const elsewhere = typeof script === 'string' ? { recovering: [script], broken: extra } : { broken: [script, ...extra] };
  return {
    good: 'releases-symlink',
    broken: [{ deployer: 'merged-store', fails: typeof script === 'string' ? ['no-hard-reload'] : script.fails }],
    worlds: { 'single-origin': { good: 'own-routing', ...elsewhere }, rolling: { good: 'own-routing', ...elsewhere } },
  };
}

const CLICK = (session: string, link: string, expect: string): Step => ({ kind: 'navigate', session, link, expect });

/**
 * Next 16's proxy (middleware) and next.config's redirects and rewrites, followed from an old
 * tab (opennextjs-netlify tests/e2e/skew-protection.test.ts, "Middleware" and "Next.js config
 * rewrite and redirects"): the build whose server answers the click decides where it ends.
 */
export const middlewareAfterDeploy: Scenario = {
  name: 'middleware-after-deploy',
  title: 'Proxy (middleware) and next.config redirects and rewrites, followed from tabs opened on A',
  description:
    "Tabs on A's /mw page; B is deployed; each follows one link: through the proxy's next(), redirect and rewrite, and through next.config's redirect and rewrite. The page each ends on names the build whose proxy or configuration sent it there: it must be A's, in A's page, without a full page load. A new visitor's redirect is B's.",
  source:
    'opennextjs/opennextjs-netlify tests/e2e/skew-protection.test.ts ("Middleware", "Next.js config rewrite and redirects"); vercel/next.js test/production/deployment-id-handling (middleware present)',
  versions: ['A', 'B'],
  worlds: ALL_WORLDS,
  steps: [
    { kind: 'deploy', version: 'A' },
    ...['next', 'redirect', 'rewrite'].map((k): Step => ({ kind: 'openSession', session: `mw-${k}-a`, path: '/mw' })),
    { kind: 'openSession', session: 'cfg-redirect-a', path: '/mw' },
    { kind: 'openSession', session: 'cfg-rewrite-a', path: '/mw' },
    { kind: 'deploy', version: 'B' },
    CLICK('mw-next-a', 'link-mw-next', 'page-mw-next'),
    CLICK('mw-redirect-a', 'link-mw-redirect', 'page-mw-redirected'),
    CLICK('mw-rewrite-a', 'link-mw-rewrite', 'page-mw-rewritten'),
    CLICK('cfg-redirect-a', 'link-cfg-redirect', 'page-mw-config-redirected'),
    CLICK('cfg-rewrite-a', 'link-cfg-rewrite', 'page-mw-config-rewritten'),
    { kind: 'openSession', session: 'mw-b', path: '/mw' },
    CLICK('mw-b', 'link-mw-redirect', 'page-mw-redirected'),
  ],
  checks: CLICKS_THAT_NEED_THE_SERVER,
  reference: {
    ...references('releases-symlink'),
    worlds: {
      ...references('releases-symlink').worlds,
      // In a rolling update a redirect's second request may land on the other build's pods: the
      // document's script then reloads a tab twice for one click (measured 1 run in 2).
      rolling: { good: 'own-routing', broken: [{ deployer: 'releases-symlink', fails: ['no-hard-reload'] }] },
    },
  },
};

/**
 * The app's own endpoints fetched by the tab's code (opennextjs-netlify skew-protection tests:
 * "should scope route handler / api route / middleware endpoint to initial deploy when manual
 * fetch have X-Deployment-Id"): Next pins only its own requests; a fetch that sends the tab's
 * deployment id must be answered by the tab's build.
 */
export const routeHandlerPinned: Scenario = {
  name: 'route-handler-pinned',
  title: "Route handlers, API routes and the proxy's answers fetched with the tab's deployment id",
  description:
    "A tab on A's /server page fetches an App Router route handler, a Pages Router API route and an answer of the proxy, with x-deployment-id and without. After B is deployed, the pinned fetches must still be answered by A (the plain ones by whichever build serves new requests); a new visitor's pinned fetch by B.",
  source:
    'opennextjs/opennextjs-netlify tests/e2e/skew-protection.test.ts (route handler, API route and middleware endpoint, with and without X-Deployment-Id); vercel/next.js test/production/deployment-id-handling ("should have deployment id env available")',
  versions: ['A', 'B'],
  worlds: ALL_WORLDS,
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'server-a', path: '/server' },
    { kind: 'fetchRoute', session: 'server-a', route: 'app', pinned: true },
    { kind: 'deploy', version: 'B' },
    ...(['app', 'pages', 'proxy'] as const).flatMap((route): Step[] => [
      { kind: 'fetchRoute', session: 'server-a', route, pinned: true },
      { kind: 'fetchRoute', session: 'server-a', route, pinned: false },
    ]),
    { kind: 'openSession', session: 'server-b', path: '/server' },
    { kind: 'fetchRoute', session: 'server-b', route: 'app', pinned: true },
  ],
  checks: ['rendered-version', 'content-renders', 'new-sessions-current', 'no-server-errors'],
  // Routing only the paths the usual middleware matcher covers leaves /api to the new build.
  reference: references({ deployer: 'releases-symlink', fails: ['rendered-version'] }, [
    { deployer: 'own-routing-matcher', fails: ['rendered-version'] },
  ]),
};

/**
 * next/image and next/font/local (opennextjs-netlify skew-protection tests, "next/image"): the
 * optimizer's answers for a public/ file share one URL across builds but for ?dpl= (Next 16.1+);
 * the edge caches them for hours. An image an old tab asks for after the deploy must be its
 * build's, where the edge's copy no longer answers.
 */
export const imageAndFontAfterDeploy: Scenario = {
  name: 'image-and-font-after-deploy',
  title: 'next/image and next/font/local from a tab opened on A, after B is deployed',
  description:
    "A tab loads A's /media page: a public/ image and an imported one through the optimizer, text in a next/font/local font. B is deployed; the tab asks for the public image at another width (a URL not asked for before). Each image must be A's (its colour names its build), A's font and image files must still answer; a new visitor gets B's images.",
  source:
    'opennextjs/opennextjs-netlify tests/e2e/skew-protection.test.ts ("next/image": statically imported and public directory image); vercel/next.js test/production/deployment-id-handling ("should append dpl query to all assets")',
  versions: ['A', 'B'],
  worlds: ALL_WORLDS,
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'media-a', path: '/media' },
    { kind: 'deploy', version: 'B' },
    { kind: 'click', session: 'media-a', target: 'media-more', expect: 'image-more-loaded' },
    { kind: 'openSession', session: 'media-b', path: '/media' },
    { kind: 'click', session: 'media-b', target: 'media-more', expect: 'image-more-loaded' },
    { kind: 'probeAssets', version: 'A' },
  ],
  checks: ['rendered-version', 'content-renders', 'old-assets-survive', 'no-chunk-load-error', 'new-sessions-current', 'no-server-errors'],
  // The usual middleware matcher leaves /_next/image out: the old tab's image comes from the new build.
  reference: references({ deployer: 'releases-symlink', fails: ['rendered-version'] }, [
    { deployer: 'own-routing-matcher', fails: ['rendered-version'] },
  ]),
};
