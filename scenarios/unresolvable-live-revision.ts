import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_A_USES_ITS_BUILD, PLATFORM_A_B_C } from './bases.ts';

/** Skew-protection document: the GC is fail-safe when the live set cannot be resolved. */
export const unresolvableLiveRevision: Scenario = {
  name: 'unresolvable-live-revision',
  title: 'A live revision without its build-id label: the GC must not delete anything',
  description:
    "A, B and C are deployed. Someone rolls back by hand: they create a revision of A without the operator's build-id label and send it 10 % of traffic. D is then deployed (staged at 0 %) with assetRetention 3, so A is outside the window and its live revision cannot be resolved to a build id. The GC must skip entirely. A browser pinned to A then loads, lazy-loads and navigates.",
  source:
    'knext-skew-protection: "The GC is fail-safe: if any live revision cannot be resolved to a build-id (label missing or the read failed), the whole GC is skipped for that deploy."',
  ...PLATFORM_A_B_C,
  steps: [
    ...PLATFORM_A_B_C.steps,
    { kind: 'createRevision', version: 'A', labels: {} },
    {
      kind: 'split',
      traffic: [
        { version: 'A', percent: 10 },
        { version: 'C', percent: 90 },
      ],
    },
    { kind: 'deploy', version: 'D', traffic: 0 },
    ...PINNED_A_USES_ITS_BUILD,
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'no-hard-reload', 'old-assets-survive', 'referenced-objects-kept'],
  reference: {
    good: 'additive-gc',
    broken: [
      { deployer: 'gc-ignores-unresolved', fails: ['old-assets-survive', 'content-renders', 'no-hard-reload', 'referenced-objects-kept'] },
    ],
  },
};

/**
 * Field report: a GC that reads the traffic table, gets the API server's 503, and takes the
 * failure for "no revision serves this app": it tears the app's prefix down. The document's GC
 * skips itself when the live set is unknown.
 */
export const trafficReadFails: Scenario = {
  name: 'traffic-read-fails',
  title: 'The traffic read fails during a deploy: the GC must skip, not take it for "no traffic"',
  description:
    "A, B and C are deployed, with a Pages Router tab on C. The platform API then answers every traffic read with 503 (the API server's own Status), and D is deployed with assetRetention 3. The live set is unknown, so the GC must skip: nothing may be deleted. The tab on C lazy-loads and navigates, and a new visitor loads D. The fault is then healed.",
  source:
    'knext-skew-protection: "if any live revision cannot be resolved to a build-id (label missing or the read failed), the whole GC is skipped for that deploy."',
  ...PLATFORM_A_B_C,
  steps: [
    ...PLATFORM_A_B_C.steps,
    { kind: 'openSession', session: 'pages-c', path: '/legacy' },
    { kind: 'inject', fault: 'platform-api-error', params: {} },
    { kind: 'deploy', version: 'D' },
    { kind: 'lazyLoad', session: 'pages-c' },
    { kind: 'navigate', session: 'pages-c', link: 'link-ssr', expect: 'page-ssr' },
    { kind: 'openSession', session: 'pages-d', path: '/legacy', mustSee: 'D' },
    { kind: 'navigate', session: 'pages-d', link: 'link-ssr', expect: 'page-ssr' },
    { kind: 'heal', fault: 'platform-api-error' },
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'referenced-objects-kept', 'bucket-scoped'],
  reference: {
    good: 'additive-gc',
    broken: [{ deployer: 'gc-teardown-on-failed-read', fails: ['no-chunk-load-error', 'content-renders', 'referenced-objects-kept'] }],
  },
};
