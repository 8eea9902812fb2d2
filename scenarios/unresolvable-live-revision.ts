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
