import type { Stamped } from '../core/history.ts';
import type { CheckResult } from '../core/verdict.ts';

/**
 * A deploy the deployer refused while no fault was injected: the switch the scenario is about
 * never happened, so its checks judged the previous build alone and would pass for nothing. A
 * refusal a fault provokes (an origin that never answers) is the deployer doing its job, and a
 * refused rollback is judged by rollback-safety. Undefined when there is none. Pure.
 */
export function unprovokedRefusals(events: readonly Stamped[]): CheckResult | undefined {
  const active = new Set<string>();
  const refused: string[] = [];
  for (const e of events) {
    if (e.type === 'fault' && e.phase === 'inject') active.add(e.id);
    if (e.type === 'fault' && e.phase === 'heal') active.delete(e.id);
    if (e.type === 'deployer' && e.action === 'deploy' && e.refused !== undefined && active.size === 0)
      refused.push(`deploy ${e.version} was refused by ${e.deployer} with no fault injected: ${e.refused}`);
  }
  if (!refused.length) return undefined;
  return {
    check: 'deploys-went-live',
    verdict: 'inconclusive',
    evidence: [
      ...refused,
      "the switch never happened, so the scenario's checks saw the previous build only: find why the deployer refused (its health check, above)",
    ],
  };
}
