import type { Scenario } from '../harness/scenario/parse.ts';
import { faultDuringDeployOfB, PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

/**
 * The new release's origin misbehaves while B is deployed (harness/faults/origin-*.ts, acting in
 * the fault layer between the edge and the origins). A deployer must check that B answers
 * through the edge before its purge sends everyone there — and switch back if it never does.
 */
function originFault(name: string, fault: string, params: Record<string, unknown>, title: string, what: string): Scenario {
  return {
    name,
    title,
    description: `A is live and its HTML cached at the edge. While B is deployed, ${what}. The deployer must wait until B answers through the edge before it purges (or switch back and refuse the deploy); visitors must never get a 5xx page.`,
    source:
      'rollback-nextjs-static-assets: "Step 3 — Flip the Symlink and Reload", "Step 4 — Purge HTML Entry Points from CDN"; issue 7 (origin faults)',
    versions: ['A', 'B'],
    worlds: PINNED_AND_SINGLE_ORIGIN,
    steps: faultDuringDeployOfB(fault, params),
    checks: ['no-server-errors', 'new-sessions-current', 'no-chunk-load-error'],
    reference: { good: 'releases-symlink', broken: [{ deployer: 'no-health-check', fails: ['no-server-errors', 'new-sessions-current'] }] },
  };
}

/**
 * B answers its first connection whole and resets every later one half-way through the answer
 * (a release that crashes once warm). Deterministic on purpose: a random share of resets made
 * which checks the broken deployer fails vary from run to run (measured: 1 run in 5).
 */
const RESET_AFTER_FIRST = { target: 'new', probability: 1, after: 1 };
const originFlakyNew: Scenario = {
  ...originFault(
    'origin-flaky-new',
    'origin-reset',
    RESET_AFTER_FIRST,
    "B's origin answers once, then resets every connection mid-answer",
    "B's origin answers its first request whole and then resets every connection from the edge half-way through the answer (a release that crashes once warm)",
  ),
  steps: [
    ...faultDuringDeployOfB('origin-reset', RESET_AFTER_FIRST).slice(0, -1),
    { kind: 'navigate', session: 'pages-new', link: 'link-ssr', expect: 'page-ssr' },
    { kind: 'renderDynamic', session: 'app-new' },
    { kind: 'heal', fault: 'origin-reset' },
  ],
  checks: ['no-server-errors', 'new-sessions-current', 'content-renders', 'no-chunk-load-error'],
  reference: { good: 'releases-symlink', broken: [{ deployer: 'trusts-one-answer', fails: ['new-sessions-current', 'content-renders'] }] },
};

/** B is healthy but answers 2 s late: the deploy must land. */
const originSlowAnswers: Scenario = {
  name: 'origin-slow-answers',
  title: "B's origin answers every request 2 s late",
  description:
    "A is live and its HTML cached at the edge. While B is deployed, every connection from the edge to B's origin waits 2 s (a cold cache, a slow dependency): B is slow, not broken. The deployer's health check must allow for it and put B live; new visitors must get B, and nobody a 5xx page.",
  source:
    'rollback-nextjs-static-assets: "Step 4 — Purge HTML Entry Points from CDN" (once the origin serves the new build); issue 7 (origin faults: added latency)',
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  steps: faultDuringDeployOfB('origin-latency', { target: 'new', ms: 2_000 }, 'B'),
  checks: ['new-sessions-current', 'no-server-errors', 'no-chunk-load-error'],
  reference: { good: 'releases-symlink', broken: [{ deployer: 'impatient-health-check', fails: ['new-sessions-current'] }] },
};

export const originFaults: Scenario[] = [
  originFault(
    'origin-slow-start',
    'origin-slow-start',
    { ms: 4_000 },
    "B's origin listens 4 s after the reload returned",
    "B's origin starts listening only 4 s after the process manager's reload returned",
  ),
  originFault(
    'origin-refuses-new',
    'origin-refuse',
    { target: 'new' },
    "B's origin refuses every connection",
    "every connection from the edge to B's origin is refused until the end",
  ),
  originFlakyNew,
  originFault(
    'origin-crash-mid-request',
    'origin-kill',
    { target: 'new', restartAfterMs: 4_000 },
    "B's origin crashes on its first request",
    "B's origin is killed (SIGKILL) with its first request in flight and restarted by the process manager 4 s later",
  ),
  originSlowAnswers,
];
