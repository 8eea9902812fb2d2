import type { Scenario } from '../harness/scenario/parse.ts';
import { judgesReloadsOnAVps, PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

const TABS_ON_A = [
  { kind: 'deploy', version: 'A' },
  { kind: 'openSession', session: 'app-a', path: '/' },
  { kind: 'openSession', session: 'pages-a', path: '/legacy' },
] as const;

/** What the tabs on A do once they are back: a lazy chunk and a link without prefetch in each router. */
const TABS_ON_A_RESUME = [
  { kind: 'lazyLoad', session: 'app-a' },
  { kind: 'navigate', session: 'app-a', link: 'link-about', expect: 'page-about' },
  { kind: 'lazyLoad', session: 'pages-a' },
  { kind: 'navigate', session: 'pages-a', link: 'link-other', expect: 'page-other' },
] as const;

const SOURCE =
  'rollback-nextjs-static-assets: "keep the previous build\'s static files", FAQ "How long should I keep the old release"; issue 7 (browser and edge faults)';

/** The tabs lose their network while B is deployed and come back after it. */
export const tabOfflineDuringDeploy: Scenario = judgesReloadsOnAVps({
  name: 'tab-offline-during-deploy',
  title: 'Tabs on A go offline during the deploy of B and come back',
  description:
    "Two tabs on A (App and Pages Router) go offline, B is deployed, they come back online with A still in memory and lazy-load and navigate. A's files must still be there.",
  source: SOURCE,
  versions: ['A', 'B'],
  steps: [
    ...TABS_ON_A,
    { kind: 'inject', fault: 'browser-offline', params: { sessions: ['app-a', 'pages-a'] } },
    { kind: 'deploy', version: 'B' },
    { kind: 'heal', fault: 'browser-offline' },
    ...TABS_ON_A_RESUME,
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'no-hard-reload'],
  reference: { good: 'releases-symlink', broken: [{ deployer: 'replace-in-place', fails: ['no-chunk-load-error', 'content-renders'] }] },
});

/**
 * The tabs follow a link out, B is deployed, and the back button restores them from Chromium's
 * back/forward cache: A comes back in memory without a single request, so nothing told it B
 * is live. (The heal fails if Chromium loaded the page anew: then this would be a reload test.)
 */
export const tabRestoredFromBfcache: Scenario = judgesReloadsOnAVps({
  name: 'tab-restored-from-bfcache',
  title: 'Tabs on A leave, B is deployed, the back button restores A from the back/forward cache',
  description:
    "Two tabs on A (App and Pages Router) navigate away to another page of the site; B is deployed; the back button restores each from the back/forward cache, A's build still in memory, and they lazy-load and navigate. A's files must still be there.",
  source: SOURCE,
  versions: ['A', 'B'],
  steps: [
    ...TABS_ON_A,
    { kind: 'inject', fault: 'browser-bfcache', params: { sessions: ['app-a', 'pages-a'] } },
    { kind: 'deploy', version: 'B' },
    { kind: 'heal', fault: 'browser-bfcache' },
    ...TABS_ON_A_RESUME,
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'no-hard-reload'],
  // Its links fall back to a full load of B once A's route chunks are gone: a hard reload too.
  reference: {
    good: 'releases-symlink',
    broken: [{ deployer: 'replace-in-place', fails: ['no-chunk-load-error', 'content-renders', 'no-hard-reload'] }],
  },
});

/** The tabs idle an hour (scenario clock) while the deployer's cleanup runs, then resume. */
export const tabIdlesAnHour: Scenario = judgesReloadsOnAVps(
  {
    name: 'tab-idles-an-hour',
    title: 'Tabs on A idle for an hour after B went live, then resume',
    description:
      "B is deployed while two tabs stay on A. They idle for an hour of scenario clock, during which the deployer's cleanup runs; then they lazy-load and navigate. Releases kept by count survive; a cleanup by age removes A under them.",
    source: SOURCE,
    versions: ['A', 'B'],
    steps: [
      ...TABS_ON_A,
      { kind: 'deploy', version: 'B' },
      { kind: 'inject', fault: 'browser-idle', params: { sessions: ['app-a', 'pages-a'], for: '1h' } },
      { kind: 'cleanup' },
      { kind: 'heal', fault: 'browser-idle' },
      ...TABS_ON_A_RESUME,
    ],
    checks: ['no-chunk-load-error', 'content-renders', 'no-hard-reload'],
    reference: { good: 'releases-symlink', broken: [{ deployer: 'cleanup-by-age', fails: ['no-chunk-load-error', 'content-renders'] }] },
  },
  { serverOutlivesIt: false },
);

/** The edge's cache is full: A's cached static files are evicted; the origin must still hold them. */
export const edgeEvictsOldChunks: Scenario = {
  name: 'edge-evicts-old-chunks',
  title: "The edge's full cache evicts A's static files after B went live",
  description:
    "Tabs on A have fetched A's chunks through the edge; B is deployed; then the edge evicts everything of A it held (a full cache, not a purge). The tabs' next chunks and links must come from the origin: a deployer that deleted A and relied on the CDN's copies is found out.",
  source: SOURCE,
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  steps: [
    ...TABS_ON_A,
    { kind: 'deploy', version: 'B' },
    { kind: 'inject', fault: 'edge-evict', params: { version: 'A' } },
    ...TABS_ON_A_RESUME,
    { kind: 'probeAssets', version: 'A' },
    { kind: 'heal', fault: 'edge-evict' },
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'old-assets-survive'],
  reference: {
    good: 'releases-symlink',
    broken: [{ deployer: 'prune-to-one', fails: ['no-chunk-load-error', 'content-renders', 'old-assets-survive'] }],
  },
};

/** The deploy of B is killed part-way through copying its static files, then rerun. */
export const deployKilledMidUpload: Scenario = {
  name: 'deploy-killed-mid-upload',
  title: 'The deploy of B is killed part-way through its upload, then rerun',
  description:
    "A is live with a tab open. The deploy of B gets SIGKILL after it copied 10 of B's static files. Visitors and the tab must still be served in full; the rerun of the deploy must then put a complete B live.",
  source:
    'rollback-nextjs-static-assets: "The Atomic Deploy + Rollback Pattern" (a new release directory, then an atomic symlink swap); issue 7 (storage faults)',
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'app-a', path: '/' },
    { kind: 'inject', fault: 'storage-kill-after', params: { files: 10, under: '/static/' } },
    { kind: 'deploy', version: 'B' },
    { kind: 'heal', fault: 'storage-kill-after' },
    { kind: 'openSession', session: 'after-kill', path: '/' },
    { kind: 'lazyLoad', session: 'app-a' },
    { kind: 'deploy', version: 'B' },
    { kind: 'openSession', session: 'after-rerun', path: '/' },
    { kind: 'lazyLoad', session: 'after-rerun' },
    { kind: 'navigate', session: 'after-rerun', link: 'link-about', expect: 'page-about' },
    { kind: 'probeAssets', version: 'B' },
  ],
  checks: ['survives-interruption', 'no-chunk-load-error', 'content-renders', 'new-sessions-current'],
  reference: { good: 'releases-symlink', broken: [{ deployer: 'rerun-trusts-partial', fails: ['survives-interruption'] }] },
};

export const sessionFaults: Scenario[] = [
  tabOfflineDuringDeploy,
  tabRestoredFromBfcache,
  tabIdlesAnHour,
  edgeEvictsOldChunks,
  deployKilledMidUpload,
];
