import type { Scenario } from '../harness/core/scenario.ts';
import { faultDuringDeployOfB } from './bases.ts';

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
    source: 'rollback-nextjs-static-assets: "Step 3 — Flip the Symlink and Reload", "Step 4 — Purge HTML Entry Points from CDN"; issue 7 (origin faults)',
    versions: ['A', 'B'],
    steps: faultDuringDeployOfB(fault, params),
    checks: ['no-server-errors', 'new-sessions-current', 'no-chunk-load-error'],
    reference: { good: 'releases-symlink', broken: [{ deployer: 'no-health-check', fails: ['no-server-errors', 'new-sessions-current'] }] },
  };
}

export const originFaults: Scenario[] = [
  originFault('origin-slow-start', 'origin-slow-start', { ms: 4_000 }, "B's origin listens 4 s after the reload returned", "B's origin starts listening only 4 s after the process manager's reload returned"),
  originFault('origin-refuses-new', 'origin-refuse', { target: 'new' }, "B's origin refuses every connection", "every connection from the edge to B's origin is refused until the end"),
  originFault('origin-crash-mid-request', 'origin-kill', { target: 'new', restartAfterMs: 4_000 }, "B's origin crashes on its first request", "B's origin is killed (SIGKILL) with its first request in flight and restarted by the process manager 4 s later"),
];
