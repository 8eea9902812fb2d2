import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

/** Rollback document: static files before HTML; an edge that stores a 404 keeps a chunk broken. */
export const cached404: Scenario = {
  name: 'cached-404',
  title: 'A 404 cached at the edge while the deploy was half done',
  description:
    "A visitor loads / while B is being deployed (after each reload and purge the deployer makes). The edge caches 404s for 3 minutes, as Cloudflare does when the origin sends no Cache-Control. If B's HTML goes live before B's static files, that visitor's chunk requests 404, the edge stores the 404s, and every visitor after the upload still gets them. Static files first means there is never a 404 to store.",
  source:
    'rollback-nextjs-static-assets: "The Atomic Deploy + Rollback Pattern" (a release is complete before `current` points at it) and Step 4 (purge HTML once origin serves the new build); Cloudflare\'s default Edge TTL of 3m for a 404 without Cache-Control',
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  edge: { cacheStatic404: '3m' },
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'app-a', path: '/' },
    { kind: 'deploy', version: 'B', visitDuring: '/' },
    { kind: 'probe', label: 'html-after-B', paths: ['/', '/'] },
    { kind: 'openSession', session: 'app-new', path: '/' },
    { kind: 'lazyLoad', session: 'app-new' },
    { kind: 'renderDynamic', session: 'app-new' },
    { kind: 'lazyLoad', session: 'app-a' },
    { kind: 'probeAssets', version: 'B' },
  ],
  checks: ['static-before-html', 'no-cached-404', 'no-chunk-load-error', 'content-renders', 'new-sessions-current'],
  reference: {
    good: 'releases-symlink',
    broken: [{ deployer: 'html-before-static', fails: ['static-before-html', 'no-cached-404', 'content-renders'] }],
  },
};
