import type { Scenario } from '../harness/scenario/parse.ts';

/** Skew-protection document: old clients keep fetching their own chunks across a rollout. */
export const rollingCanary: Scenario = {
  name: 'rolling-canary',
  title: 'Rolling canary A → B at 10 %, 50 %, 100 % with sessions on both builds',
  description:
    "On the skew-protection platform (revisions behind a traffic split, every build's static files in one object store): A serves everyone, B is canaried to 10 %, 50 % and 100 % of new visitors. Tabs on A and a tab pinned to B lazy-load, render next/dynamic and navigate between every change; A's assets stay in the store; new visitors end up on B.",
  source:
    'knext-skew-protection: "Version skew happens when more than one revision serves at once — during a rollout"; "Uploads are additive"',
  versions: ['A', 'B'],
  platform: true,
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'app-a', path: '/' },
    { kind: 'openSession', session: 'pages-a', path: '/legacy' },
    { kind: 'deploy', version: 'B', traffic: 10 },
    { kind: 'openSession', session: 'canary-b', path: '/', pin: 'B' },
    { kind: 'probeSplit', visitors: 200 },
    { kind: 'lazyLoad', session: 'app-a' },
    {
      kind: 'split',
      traffic: [
        { version: 'B', percent: 50 },
        { version: 'A', percent: 50 },
      ],
    },
    { kind: 'probeSplit', visitors: 200 },
    { kind: 'lazyLoad', session: 'canary-b' },
    { kind: 'renderDynamic', session: 'app-a' },
    { kind: 'lazyLoad', session: 'pages-a' },
    { kind: 'split', traffic: [{ version: 'B', percent: 100 }] },
    { kind: 'navigate', session: 'app-a', link: 'link-about', expect: 'page-about' },
    { kind: 'navigate', session: 'pages-a', link: 'link-ssr', expect: 'page-ssr' },
    { kind: 'navigate', session: 'canary-b', link: 'link-item', expect: 'page-item' },
    { kind: 'openSession', session: 'app-new', path: '/' },
    { kind: 'probeAssets', version: 'A' },
  ],
  checks: [
    'no-chunk-load-error',
    'content-renders',
    'no-hard-reload',
    'old-assets-survive',
    'referenced-objects-kept',
    'traffic-split',
    'build-id-pinning',
    'new-sessions-current',
  ],
  reference: {
    good: 'additive-gc',
    broken: [{ deployer: 'prune-on-upload', fails: ['no-chunk-load-error', 'old-assets-survive', 'referenced-objects-kept'] }],
  },
};
