import type { Scenario } from '../harness/scenario/parse.ts';
import { acrossASwitchReferences, TABS_ACROSS_A_SWITCH } from './bases.ts';

/**
 * A → B → back to A, with sessions open on A and on B throughout: the rolled-back-from build's
 * users must keep working too (its static files stay), and new users get A again.
 */
export const rollBack: Scenario = {
  name: 'roll-back',
  title: 'Roll back A → B → A with sessions open on both builds',
  description:
    'A is live with sessions open; B is deployed and gets sessions of its own; then the deployer rolls back to A. Sessions on A and on B lazy-load, render next/dynamic and follow prefetch={false} links; every asset of both builds must still answer; a new session must get A.',
  source:
    'rollback-nextjs-static-assets: "Step 3 — Execute the Symlink Swap", "Step 4 — Purge HTML Entry Points", FAQ "Can I delete the bad build\'s _next/static/<buildId>/ directory immediately after rollback?"',
  versions: ['A', 'B'],
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'app-a', path: '/' },
    { kind: 'openSession', session: 'pages-a', path: '/legacy' },
    { kind: 'deploy', version: 'B' },
    { kind: 'probe', label: 'html-after-B', paths: ['/', '/'] },
    { kind: 'openSession', session: 'app-b', path: '/' },
    { kind: 'openSession', session: 'pages-b', path: '/legacy' },
    { kind: 'lazyLoad', session: 'app-a' },
    // In the rolling world the rollout back holds here with two pods of each build serving.
    { kind: 'rollback', version: 'A', pauseMidRollout: true },
    { kind: 'openSession', session: 'mid-rollback', path: '/' },
    { kind: 'lazyLoad', session: 'app-b' },
    { kind: 'lazyLoad', session: 'pages-b' },
    { kind: 'renderDynamic', session: 'pages-b' },
    { kind: 'navigate', session: 'pages-b', link: 'link-ssr', expect: 'page-ssr' },
    { kind: 'resumeRollout' },
    { kind: 'probe', label: 'html-after-rollback', paths: ['/', '/'] },
    { kind: 'renderDynamic', session: 'app-b' },
    { kind: 'navigate', session: 'app-b', link: 'link-about', expect: 'page-about' },
    { kind: 'renderDynamic', session: 'app-a' },
    { kind: 'navigate', session: 'app-a', link: 'link-item', expect: 'page-item' },
    { kind: 'renderDynamic', session: 'pages-a' },
    { kind: 'navigate', session: 'pages-a', link: 'link-other', expect: 'page-other' },
    { kind: 'openSession', session: 'app-a-new', path: '/' },
    { kind: 'probeAssets', version: 'B' },
    { kind: 'probeAssets', version: 'A' },
  ],
  ...TABS_ACROSS_A_SWITCH,
  reference: acrossASwitchReferences(['no-chunk-load-error', 'content-renders', 'old-assets-survive', 'cache-status']),
};
