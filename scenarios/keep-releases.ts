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

/**
 * Field report: `ls -t | tail` retention after a rollback. The release a rollback made live
 * again must count as the newest: the next deploy's cleanup must not delete it under its tabs.
 */
export const retentionAfterRollback: Scenario = judgesReloadsOnAVps({
  name: 'retention-after-rollback',
  title: 'Four deploys, a rollback to the second, then a fifth deploy: the rolled-back-to release keeps serving its tabs',
  description:
    'A, B, C and D go live in turn (a deployer keeping three releases has dropped A by then); D is rolled back to B, and tabs open on B. Then E is deployed: its cleanup must keep B, the release that was live until a moment ago, though B is the oldest directory on disk. The tabs on B lazy-load, render next/dynamic and follow links, and every asset of B must still answer.',
  source:
    'rollback-nextjs-static-assets: "keeps the last two to three builds present on origin simultaneously"; field report: retention by file age (ls -t | tail) deleting the release a rollback made live',
  versions: ['A', 'B', 'C', 'D', 'E'],
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'deploy', version: 'B' },
    { kind: 'deploy', version: 'C' },
    { kind: 'deploy', version: 'D' },
    { kind: 'rollback', version: 'B' },
    { kind: 'openSession', session: 'app-b', path: '/' },
    { kind: 'openSession', session: 'pages-b', path: '/legacy' },
    { kind: 'deploy', version: 'E' },
    { kind: 'lazyLoad', session: 'app-b' },
    { kind: 'renderDynamic', session: 'app-b' },
    { kind: 'navigate', session: 'app-b', link: 'link-about', expect: 'page-about' },
    { kind: 'lazyLoad', session: 'pages-b' },
    { kind: 'navigate', session: 'pages-b', link: 'link-other', expect: 'page-other' },
    { kind: 'openSession', session: 'app-e', path: '/' },
    { kind: 'probeAssets', version: 'B' },
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'old-assets-survive', 'no-hard-reload', 'new-sessions-current'],
  reference: {
    good: 'releases-symlink',
    broken: [{ deployer: 'rollback-repoints-only', fails: ['no-chunk-load-error', 'old-assets-survive'] }],
  },
});
