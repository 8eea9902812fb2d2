import { WORLDS } from '../harness/core/scenario.ts';
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

/**
 * What a roll-forward or a roll-back is judged by, and where it runs: on a VPS (docs/worlds.md)
 * only a deployer that routes by deployment id itself keeps old tabs from reloading; the
 * document's script keeps every file, but each click that needs the server reaches the new one
 * and becomes a full page load.
 */
export const TABS_ACROSS_A_SWITCH: Pick<Scenario, 'checks' | 'worlds' | 'deploymentIds'> = {
  checks: [
    'no-chunk-load-error',
    'content-renders',
    'old-assets-survive',
    'cache-status',
    'no-hard-reload',
    'recovers-by-navigation',
    'new-sessions-current',
    'no-server-errors',
    'atomic-switch',
  ],
  worlds: ['pinned', 'single-origin', 'rolling'],
  // Without a deployment id (as most self-hosted apps build) nothing can route an old tab's
  // request to its build, in either world.
  deploymentIds: ['on', 'off'],
};

/**
 * The single-origin world's reference deployers of a scenario whose tabs cross a switch: one
 * that routes by deployment id in its own nginx passes; the document's script keeps every file,
 * so its users recover by navigation; a route to a stopped server is caught, and so is deleting
 * the old build's files (it fails `replaceInPlaceFails`).
 */
export function singleOriginReferences(replaceInPlaceFails: string[]): NonNullable<Scenario['reference']['worlds']>['single-origin'] {
  return {
    good: 'own-routing',
    recovering: ['releases-symlink'],
    broken: [
      { deployer: 'own-routing-stopped', fails: ['no-server-errors', 'no-hard-reload'] },
      { deployer: 'replace-in-place', fails: replaceInPlaceFails },
      // On the VPS nginx serves static files through current: a moment without it is a 404.
      { deployer: 'non-atomic-switch', fails: ['atomic-switch'] },
    ],
  };
}

/**
 * What a plain rolling update (the document's script, run as a Kubernetes rollout) breaks: each
 * pod serves only its own build's files, so once the old pods are gone (and, mid-rollout, on
 * every request round-robin sends to the other build) an old tab's chunks are 404s.
 */
const PLAIN_ROLLING_FAILS = ['no-chunk-load-error', 'content-renders', 'old-assets-survive', 'no-hard-reload'];

/**
 * The rolling world's reference deployers of a scenario whose tabs cross a switch: own-routing
 * keeps the replaced release's pods, routes its tabs' requests to them by deployment id and
 * serves every release's static files from the store, so it passes; the plain rolling update
 * and a route to pods already stopped are caught, and so is deleting the old build's files.
 */
export function rollingReferences(replaceInPlaceFails: string[]): NonNullable<Scenario['reference']['worlds']>['rolling'] {
  return {
    good: 'own-routing',
    broken: [
      { deployer: 'releases-symlink', fails: PLAIN_ROLLING_FAILS },
      { deployer: 'own-routing-stopped', fails: ['no-server-errors', 'no-hard-reload'] },
      { deployer: 'replace-in-place', fails: replaceInPlaceFails },
    ],
  };
}

/**
 * Without a deployment id nothing routes an old tab's requests to its build, in any world: the
 * best a deployer can do is keep every file, so that its users recover by navigation. Deleting
 * the old build's files is still caught (it fails `replaceInPlaceFails`).
 */
export function withoutDeploymentIdReferences(replaceInPlaceFails: string[]): NonNullable<Scenario['reference']['withoutDeploymentId']> {
  return {
    pinned: { recovering: ['releases-symlink'], broken: [{ deployer: 'replace-in-place', fails: replaceInPlaceFails }] },
    'single-origin': {
      recovering: ['releases-symlink', 'own-routing'],
      broken: [{ deployer: 'replace-in-place', fails: replaceInPlaceFails }],
    },
    // Static files from the store keep old tabs' chunks; the plain rolling update loses them.
    rolling: {
      recovering: ['own-routing'],
      broken: [
        { deployer: 'releases-symlink', fails: PLAIN_ROLLING_FAILS },
        { deployer: 'replace-in-place', fails: replaceInPlaceFails },
      ],
    },
  };
}

/**
 * The reference deployers of a scenario whose tabs cross a switch, in every world and mode: the
 * document's script, and deleting the old build's files in place (which fails `replaceInPlaceFails`).
 */
export function acrossASwitchReferences(replaceInPlaceFails: string[]): Scenario['reference'] {
  return {
    good: 'releases-symlink',
    broken: [{ deployer: 'replace-in-place', fails: replaceInPlaceFails }],
    worlds: { 'single-origin': singleOriginReferences(replaceInPlaceFails), rolling: rollingReferences(replaceInPlaceFails) },
    withoutDeploymentId: withoutDeploymentIdReferences(replaceInPlaceFails),
  };
}

/** Judged wherever an old tab's click needs the server: Next turns a foreign answer into one full page load. */
export const CLICKS_THAT_NEED_THE_SERVER = [
  'no-chunk-load-error',
  'content-renders',
  'rendered-version',
  'deployment-id-headers',
  'no-hard-reload',
  'recovers-by-navigation',
  'no-reload-loop',
  'new-sessions-current',
  'no-server-errors',
];

/** Every world: the server half applies to all three (docs/server-half.md). */
export const ALL_WORLDS: NonNullable<Scenario['worlds']> = [...WORLDS];

/**
 * Where a scenario applies when the world does not decide its point: on a skew-protection
 * platform and on the rollback document's VPS alike (docs/worlds.md). Its references hold in
 * both worlds, unless it judges hard reloads (`judgesReloadsOnAVps`).
 */
export const PINNED_AND_SINGLE_ORIGIN: NonNullable<Scenario['worlds']> = ['pinned', 'single-origin'];

/**
 * A scenario that judges hard reloads, in the pinned and the single-origin world. On a VPS only
 * a deployer that routes by deployment id itself (own-routing) keeps old tabs on their build's
 * server; the pinned world's good deployer keeps every file there, so its users recover by
 * navigation, which the scenario then judges too (`recovers-by-navigation`). `serverOutlivesIt:
 * false` where not even own-routing keeps the old server that long (it stops it 15 minutes after
 * the switch): both recover, none passes.
 */
export function judgesReloadsOnAVps(s: Scenario, { serverOutlivesIt = true } = {}): Scenario {
  const checks = s.checks.flatMap((c) => (c === 'no-hard-reload' ? [c, 'recovers-by-navigation'] : [c]));
  const recovering = [s.reference.good!];
  return {
    ...s,
    worlds: PINNED_AND_SINGLE_ORIGIN,
    checks,
    reference: {
      ...s.reference,
      worlds: {
        'single-origin': serverOutlivesIt
          ? { good: 'own-routing', recovering, broken: s.reference.broken }
          : { recovering: ['own-routing', ...recovering], broken: s.reference.broken },
      },
    },
  };
}
