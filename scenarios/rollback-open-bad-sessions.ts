import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_AND_SINGLE_ORIGIN, ROLLED_BACK_WITH_TABS_ON_B } from './bases.ts';

/** Rollback document, comparison table: "In-flight users on previous buildId — Safe: keep previous static dir". */
export const rollbackOpenBadSessions: Scenario = {
  name: 'rollback-open-bad-sessions',
  title: 'Roll back while tabs are open on the bad build',
  description:
    'B (the bad build) is live and users have it open. The deployer rolls back to A. The tabs on B must keep working (their chunks stay available) while every new visitor gets A.',
  source:
    'rollback-nextjs-static-assets: comparison table row "In-flight users on previous buildId"; FAQ "Can I delete the bad build\'s _next/static/<buildId>/ directory immediately after rollback?"',
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  steps: [
    ...ROLLED_BACK_WITH_TABS_ON_B,
    { kind: 'lazyLoad', session: 'app-b' },
    { kind: 'renderDynamic', session: 'app-b' },
    { kind: 'navigate', session: 'app-b', link: 'link-about', expect: 'page-about' },
    { kind: 'lazyLoad', session: 'pages-b' },
    { kind: 'navigate', session: 'pages-b', link: 'link-ssr', expect: 'page-ssr' },
    { kind: 'openSession', session: 'app-new', path: '/' },
    { kind: 'probeAssets', version: 'B' },
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'old-assets-survive', 'cache-status', 'new-sessions-current'],
  reference: {
    good: 'releases-symlink',
    broken: [{ deployer: 'rollback-deletes-bad', fails: ['no-chunk-load-error', 'old-assets-survive'] }],
  },
};
