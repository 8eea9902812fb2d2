import type { Scenario } from '../harness/scenario/parse.ts';
import { judgesReloadsOnAVps, ROLLED_BACK_WITH_TABS_ON_B } from './bases.ts';

/** Rollback document, FAQ: keep the bad build's static files ≥ 15 min after the purge completes. */
export const keepBadStatic15m: Scenario = judgesReloadsOnAVps({
  name: 'keep-bad-static-15m',
  title: "Keep the bad build's static files 15 minutes after the rollback's purge",
  description:
    "B (the bad build) is live and open in two tabs. The deployer rolls back to A and purges the HTML; its delayed cleanup runs right after, at +14 min and at +16 min on the scenario clock. Until 15 minutes after the purge, visitors still served B's HTML (a CDN node the purge has not reached) must find every file it references, and B's static files must still be on origin. After that the cleanup may remove B.",
  source:
    'rollback-nextjs-static-assets: FAQ "Can I delete the bad build\'s _next/static/<buildId>/ directory immediately after rollback?" and "How long do in-flight sessions need the previous buildId\'s chunks to remain available?"',
  versions: ['A', 'B'],
  steps: [
    ...ROLLED_BACK_WITH_TABS_ON_B,
    { kind: 'cleanup' },
    { kind: 'probeAssets', version: 'B', from: 'origin', label: 'origin-B-right-after' },
    { kind: 'advanceClock', by: '14m' },
    { kind: 'cleanup' },
    { kind: 'openStaleSession', session: 'late-app-b', from: 'app-b' },
    { kind: 'lazyLoad', session: 'late-app-b' },
    { kind: 'renderDynamic', session: 'late-app-b' },
    { kind: 'openStaleSession', session: 'late-pages-b', from: 'pages-b' },
    { kind: 'navigate', session: 'late-pages-b', link: 'link-ssr', expect: 'page-ssr' },
    { kind: 'probeAssets', version: 'B', from: 'origin', label: 'origin-B-at-14m' },
    { kind: 'openSession', session: 'app-new', path: '/' },
    { kind: 'advanceClock', by: '2m' },
    { kind: 'cleanup' },
    { kind: 'probeAssets', version: 'B', from: 'origin', label: 'origin-B-at-16m' },
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'no-hard-reload', 'rollback-retention', 'new-sessions-current'],
  reference: {
    good: 'releases-symlink',
    broken: [
      { deployer: 'cleanup-too-early', fails: ['rollback-retention'] },
      { deployer: 'delete-bad-static-now', fails: ['rollback-retention'] },
    ],
  },
});
