import type { Scenario } from '../harness/scenario/parse.ts';
import type { Step } from '../harness/steps/index.ts';

/**
 * Working bases that several scenarios spread from (a scenario is data): the same opening or
 * closing steps written once, so the scenarios differ only where their point is.
 */

/** B (the bad build) is live with an App Router and a Pages Router tab on it; then the rollback to A. */
export const ROLLED_BACK_WITH_TABS_ON_B: Step[] = [
  { kind: 'deploy', version: 'A' },
  { kind: 'deploy', version: 'B' },
  { kind: 'openSession', session: 'app-b', path: '/' },
  { kind: 'openSession', session: 'pages-b', path: '/legacy' },
  { kind: 'rollback', version: 'A' },
  { kind: 'probe', label: 'html-after-rollback', paths: ['/', '/'] },
];

/** The platform with A, B and C deployed and a GC that keeps the newest 3 build ids. */
export const PLATFORM_A_B_C: Pick<Scenario, 'versions' | 'platform' | 'deployerOptions'> & { steps: Step[] } = {
  versions: ['A', 'B', 'C', 'D'],
  platform: true,
  deployerOptions: { assetRetention: '3' },
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'deploy', version: 'B' },
    { kind: 'deploy', version: 'C' },
  ],
};

/** A browser pinned to A loads the Pages Router page, lazy-loads and navigates; then every A asset is probed. */
export const PINNED_A_USES_ITS_BUILD: Step[] = [
  { kind: 'openSession', session: 'pinned-a', path: '/legacy', pin: 'A' },
  { kind: 'lazyLoad', session: 'pinned-a' },
  { kind: 'navigate', session: 'pinned-a', link: 'link-ssr', expect: 'page-ssr' },
  { kind: 'probeAssets', version: 'A' },
];

/**
 * A fault during the deploy of B: A live, its HTML cached and a tab open on it; the fault injected;
 * B deployed; new visitors (App and Pages Router); the tab on A lazy-loads; the fault healed.
 */
export function faultDuringDeployOfB(fault: string, params: Record<string, unknown>, newVisitorsMustSee?: string): Step[] {
  const must = newVisitorsMustSee ? { mustSee: newVisitorsMustSee } : {};
  return [
    { kind: 'deploy', version: 'A' },
    { kind: 'probe', label: 'html-after-A', paths: ['/', '/', '/legacy', '/legacy'] },
    { kind: 'openSession', session: 'app-a', path: '/' },
    { kind: 'inject', fault, params },
    { kind: 'deploy', version: 'B' },
    { kind: 'probe', label: 'html-after-B', paths: ['/', '/', '/legacy', '/legacy'] },
    { kind: 'openSession', session: 'app-new', path: '/', ...must },
    { kind: 'openSession', session: 'pages-new', path: '/legacy', ...must },
    { kind: 'lazyLoad', session: 'app-a' },
    { kind: 'heal', fault },
  ];
}
