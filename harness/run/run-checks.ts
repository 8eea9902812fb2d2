import type { Build } from '../builds/types.ts';
import { CHECKS } from '../checks/index.ts';
import type { Stamped } from '../core/history.ts';
import type { CheckResult } from '../core/verdict.ts';
import { failureKind, minimalWitness } from '../core/witness.ts';
import { versionsOf } from './report.ts';

/**
 * Judges a recorded history with the named checks. Pure: the same history gives the same
 * results. A check that throws cannot vouch for anything, so it is inconclusive.
 */
export function runChecks(
  names: readonly string[],
  events: readonly Stamped[],
  builds: Record<string, Build>,
  deployerOptions: Record<string, string> = {},
): CheckResult[] {
  const versions = versionsOf(builds);
  // Checks also see each build's asset URLs (what its pages and lazy chunks can request).
  const withAssets = Object.fromEntries(
    Object.entries(builds).map(([v, b]) => [
      v,
      {
        ...versions[v]!,
        assets: b.assets.map((x) => x.url),
        ...(b.withDeploymentId === false ? { withoutDeploymentId: true as const } : {}),
        nextMajor: Number(b.nextVersion.split('.')[0]),
      },
    ]),
  );
  return names.map((name) => {
    const check = CHECKS[name];
    if (!check)
      return { check: name, verdict: 'inconclusive', evidence: [`no check named "${name}"; known: ${Object.keys(CHECKS).join(', ')}`] };
    try {
      const result = { check: name, ...check.judge({ events, versions: withAssets, deployerOptions }) };
      if (result.verdict !== 'fail') return result;
      // The few events that alone make it fail the same way.
      const kind = failureKind(result.evidence);
      const witness = minimalWitness(events, (sub) => {
        const r = check.judge({ events: sub, versions: withAssets, deployerOptions });
        return r.verdict === 'fail' && failureKind(r.evidence) === kind;
      });
      return { ...result, witness: { ...witness, of: events.length } };
    } catch (e) {
      return { check: name, verdict: 'inconclusive', evidence: [`the check threw: ${e instanceof Error ? e.message : String(e)}`] };
    }
  });
}
