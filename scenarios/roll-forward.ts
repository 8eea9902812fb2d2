import type { Scenario } from '../harness/scenario/parse.ts';
import { acrossASwitchReferences, TABS_ACROSS_A_SWITCH } from './bases.ts';

/**
 * Users who loaded build A keep working after B goes live: lazy chunks, next/dynamic, links
 * without prefetch (App and Pages Router, static, dynamic and gSSP routes); new users get B.
 */
export const rollForward: Scenario = {
  name: 'roll-forward',
  title: 'Roll forward A → B with sessions open on A',
  description:
    'Sessions load A, then B is deployed. The A sessions lazy-load a chunk, render next/dynamic components and follow prefetch={false} links; every asset of A must still answer through the edge; a new session must get B.',
  source:
    'rollback-nextjs-static-assets: "The Atomic Deploy + Rollback Pattern", "CDN Purge Strategy"; knext-skew-protection: "Uploads are additive"',
  versions: ['A', 'B'],
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'probe', label: 'html-after-A', paths: ['/', '/'] },
    { kind: 'openSession', session: 'app-a', path: '/' },
    { kind: 'openSession', session: 'app-a-items', path: '/' },
    { kind: 'openSession', session: 'pages-a', path: '/legacy' },
    { kind: 'openSession', session: 'pages-a-ssr', path: '/legacy' },
    // In the rolling world the rollout holds here with two pods of each build serving: a new
    // visitor and two old tabs act on the mixed pods. Other worlds switch at once.
    { kind: 'deploy', version: 'B', pauseMidRollout: true },
    { kind: 'openSession', session: 'mid-deploy', path: '/' },
    { kind: 'lazyLoad', session: 'app-a' },
    { kind: 'navigate', session: 'app-a-items', link: 'link-item', expect: 'page-item' },
    { kind: 'navigate', session: 'pages-a-ssr', link: 'link-ssr', expect: 'page-ssr' },
    { kind: 'resumeRollout' },
    { kind: 'probe', label: 'html-after-B', paths: ['/', '/'] },
    { kind: 'renderDynamic', session: 'app-a' },
    { kind: 'navigate', session: 'app-a', link: 'link-about', expect: 'page-about' },
    { kind: 'lazyLoad', session: 'pages-a' },
    { kind: 'renderDynamic', session: 'pages-a' },
    { kind: 'navigate', session: 'pages-a', link: 'link-other', expect: 'page-other' },
    { kind: 'openSession', session: 'app-b', path: '/' },
    { kind: 'probeAssets', version: 'A' },
  ],
  ...TABS_ACROSS_A_SWITCH,
  reference: acrossASwitchReferences(['no-chunk-load-error', 'content-renders', 'old-assets-survive', 'cache-status', 'no-hard-reload']),
};
