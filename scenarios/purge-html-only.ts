import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

/** Rollback document: "The most common mistake during a rollback is purging _next/static/*." */
export const purgeHtmlOnly: Scenario = {
  name: 'purge-html-only',
  title: 'Purge the HTML entry points, never the hashed static files',
  description:
    'A is live and its hashed files are in the edge cache. B is deployed. A tab on A keeps working either way; what differs is the CDN: purging /_next/static evicts immutable files and turns the next requests for them into origin misses. The check lists every hashed-asset purge and the misses it caused.',
  source: 'rollback-nextjs-static-assets: "CDN Purge Strategy During Rollback" (path pattern table)',
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'app-a', path: '/' },
    { kind: 'lazyLoad', session: 'app-a' },
    { kind: 'probeAssets', version: 'A', label: 'assets-A-before' },
    { kind: 'deploy', version: 'B' },
    { kind: 'probe', label: 'html-after-B', paths: ['/', '/'] },
    { kind: 'renderDynamic', session: 'app-a' },
    { kind: 'navigate', session: 'app-a', link: 'link-about', expect: 'page-about' },
    { kind: 'probeAssets', version: 'A', label: 'assets-A-after' },
    { kind: 'openSession', session: 'app-b', path: '/' },
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'cache-status', 'new-sessions-current'],
  reference: { good: 'releases-symlink', broken: [{ deployer: 'purge-static', fails: ['cache-status'] }] },
};
