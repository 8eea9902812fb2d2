import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_A_USES_ITS_BUILD, PLATFORM_A_B_C } from './bases.ts';

/** Skew-protection document: the live set keeps a build the retain window has dropped. */
export const rollbackCanaryOutsideWindow: Scenario = {
  name: 'rollback-canary-outside-window',
  title: 'A rollback canary to a build outside the retain window',
  description:
    "A, B and C are deployed; a rollback canary sends 10 % back to A. D is then deployed (staged at 0 %), and its GC runs with assetRetention 3: B, C and D are the newest, and A is older than the window but serving traffic. A browser pinned to A then loads the Pages Router page, lazy-loads and navigates. A's build-id folder must still be in the store.",
  source:
    'knext-skew-protection: "Live set — keep any build-id currently serving traffic, even if it is older than the window … So a pinned, canaried, or rolled-back build is never reaped while it serves"',
  ...PLATFORM_A_B_C,
  steps: [
    ...PLATFORM_A_B_C.steps,
    {
      kind: 'split',
      traffic: [
        { version: 'A', percent: 10 },
        { version: 'C', percent: 90 },
      ],
    },
    { kind: 'deploy', version: 'D', traffic: 0 },
    { kind: 'cleanup' },
    ...PINNED_A_USES_ITS_BUILD,
  ],
  checks: [
    'no-chunk-load-error',
    'content-renders',
    'no-hard-reload',
    'old-assets-survive',
    'referenced-objects-kept',
    'new-sessions-current',
  ],
  reference: {
    good: 'additive-gc',
    broken: [{ deployer: 'window-only-gc', fails: ['old-assets-survive', 'content-renders', 'no-hard-reload', 'referenced-objects-kept'] }],
  },
};
