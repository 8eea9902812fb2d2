import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

/** Rollback document: "Merging the static directories from all live releases into a single _next/static/ mount point". */
export const mergedStaticStore: Scenario = {
  name: 'merged-static-store',
  title: 'One merged static store for every build (rsync without --delete)',
  description:
    "Each deploy rsyncs its build's .next/static into one store the edge serves, and only the live release keeps a directory. Tabs open on A after B is deployed load their lazy chunks, next/dynamic and routes from the store; every asset of A must still answer.",
  source:
    'rollback-nextjs-static-assets: "The Atomic Deploy + Rollback Pattern" (merged static directories on S3/R2), Step 3 (rsync-based deploys)',
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'app-a', path: '/' },
    { kind: 'openSession', session: 'pages-a', path: '/legacy' },
    { kind: 'deploy', version: 'B' },
    { kind: 'lazyLoad', session: 'app-a' },
    { kind: 'renderDynamic', session: 'app-a' },
    { kind: 'lazyLoad', session: 'pages-a' },
    { kind: 'renderDynamic', session: 'pages-a' },
    { kind: 'openSession', session: 'app-b', path: '/' },
    { kind: 'probeAssets', version: 'A' },
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'old-assets-survive', 'new-sessions-current'],
  reference: { good: 'merged-store', broken: [{ deployer: 'merged-store-delete', fails: ['no-chunk-load-error', 'old-assets-survive'] }] },
};
