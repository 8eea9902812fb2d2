import type { Scenario } from '../harness/scenario/parse.ts';
import { judgesReloadsOnAVps } from './bases.ts';

/** Rollback document: "keeps the last two to three builds present on origin simultaneously". */
export const keepReleases: Scenario = judgesReloadsOnAVps({
  name: 'keep-releases',
  title: 'Three deploys in a row with tabs open on each build',
  description:
    'A, B and C are deployed one after the other while tabs stay open on A and on B. After C, those tabs lazy-load, render next/dynamic and follow links: the releases kept on origin must still serve their chunks, and every asset of A and B must still answer.',
  source: 'rollback-nextjs-static-assets: "The Atomic Deploy + Rollback Pattern" (keep the last two to three builds)',
  versions: ['A', 'B', 'C'],
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'app-a', path: '/' },
    { kind: 'openSession', session: 'pages-a', path: '/legacy' },
    { kind: 'deploy', version: 'B' },
    { kind: 'openSession', session: 'app-b', path: '/' },
    { kind: 'deploy', version: 'C' },
    { kind: 'lazyLoad', session: 'app-a' },
    { kind: 'renderDynamic', session: 'app-a' },
    { kind: 'lazyLoad', session: 'pages-a' },
    { kind: 'navigate', session: 'pages-a', link: 'link-other', expect: 'page-other' },
    { kind: 'lazyLoad', session: 'app-b' },
    { kind: 'navigate', session: 'app-b', link: 'link-about', expect: 'page-about' },
    { kind: 'openSession', session: 'app-c', path: '/' },
    { kind: 'probeAssets', version: 'A' },
    { kind: 'probeAssets', version: 'B' },
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'old-assets-survive', 'no-hard-reload', 'new-sessions-current'],
  reference: { good: 'releases-symlink', broken: [{ deployer: 'prune-to-one', fails: ['no-chunk-load-error', 'old-assets-survive'] }] },
});
