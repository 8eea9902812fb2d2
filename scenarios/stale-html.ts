import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

/** Rollback document, Step 4: the CDN must evict its cached copies of the previous HTML. */
export const staleHtml: Scenario = {
  name: 'stale-html',
  title: 'New visitors get the new build (the HTML was purged)',
  description:
    'A is live and its HTML is in the edge cache (App Router HTML is s-maxage=31536000). B is deployed. New visitors to an App Router and a Pages Router page must get B; a deployer that forgets the HTML purge leaves them on A for a year, visible as a lingering HIT with a growing Age. A visitor loads /about while B is deployed: a purge made before the switch lets that visitor put the page of A back in the cache. The fixture has 106 pages: a purge of the first 100 alone leaves /notes/90 on A.',
  source:
    'rollback-nextjs-static-assets: "Step 4 — Purge HTML Entry Points from CDN", FAQ "How do I confirm the CDN actually served the purge"',
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  steps: [
    { kind: 'deploy', version: 'A' },
    // /notes/90 sorts last of the fixture's 90 notes (106 pages): past the first purge request of 100.
    { kind: 'probe', label: 'html-after-A', paths: ['/', '/', '/legacy', '/legacy', '/notes/90', '/notes/90'] },
    { kind: 'openSession', session: 'app-a', path: '/' },
    // A visitor loads /about each time the deployer reloads or purges: the HTML purge must come
    // after the switch, or that visitor puts A's page back in the edge cache.
    { kind: 'deploy', version: 'B', visitDuring: '/about' },
    { kind: 'probe', label: 'html-after-B', paths: ['/', '/', '/legacy', '/legacy', '/notes/90', '/notes/90'] },
    { kind: 'openSession', session: 'app-new', path: '/' },
    { kind: 'openSession', session: 'pages-new', path: '/legacy' },
    { kind: 'openSession', session: 'about-new', path: '/about' },
    { kind: 'openSession', session: 'note-new', path: '/notes/90' },
    { kind: 'lazyLoad', session: 'app-a' },
  ],
  checks: ['no-chunk-load-error', 'cache-status', 'new-sessions-current'],
  reference: {
    good: 'releases-symlink',
    broken: [
      { deployer: 'no-html-purge', fails: ['cache-status', 'new-sessions-current'] },
      { deployer: 'purge-before-switch', fails: ['new-sessions-current'] },
      { deployer: 'purge-first-batch', fails: ['cache-status', 'new-sessions-current'] },
    ],
  },
};
