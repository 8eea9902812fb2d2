import { SCHEMAS } from '../core/schema-levels.ts';
import { ofType } from '../core/history.ts';
import { capped, pathOf, stepAt, type Check } from './check.ts';

/**
 * The document's "Rollback vs Forward Fix" table, row "Database/schema dependency": a rollback
 * is safe only if the rolled-back code can read the database as it is now. A deployer must
 * refuse an unsafe rollback (a forward fix is required) and must not refuse a safe one.
 */
export const rollbackSafety: Check = {
  name: 'rollback-safety',
  description: 'no rollback onto a database schema the rolled-back code cannot read (refused: forward fix required)',
  fix: 'check the database before rolling back: if a migration since the target build is not backward-compatible, refuse the rollback and fix forward; refuse nothing that is safe',
  judge({ events, versions }) {
    const rollbacks = ofType(events, 'deployer').filter((d) => d.action === 'rollback');
    if (rollbacks.length === 0) return { verdict: 'inconclusive', evidence: ['no rollback was attempted'] };
    const evidence: string[] = [];
    const bad: string[] = [];
    for (const r of rollbacks) {
      const stepStart =
        ofType(events, 'step')
          .filter((s) => s.phase === 'start' && s.t <= r.t)
          .at(-1)?.t ?? 0;
      const db =
        ofType(events, 'database')
          .filter((d) => d.t < stepStart)
          .at(-1)?.schema ?? null;
      const reads = versions[r.version]?.schema ?? 1;
      const breaking = db === null ? [] : levelsBetween(reads, db).filter((n) => !SCHEMAS[n]?.backwardCompatible);
      const why = `the database is at schema ${db}, ${r.version}'s code reads schema ${reads}${breaking.length ? ` and migration ${breaking.map((n) => SCHEMAS[n]?.migration?.file ?? n).join(', ')} is not backward-compatible` : ''}`;
      if (r.refused !== undefined) {
        if (breaking.length)
          evidence.push(
            `rollback to ${r.version} is unsafe and was refused: ${why} — a forward fix is required`,
            ...forwardFix(events, r.t, db!, versions),
          );
        else
          bad.push(
            `rollback to ${r.version} was refused although it is safe (${db === null ? 'no database' : why}): recovery was blocked (${r.refused})`,
          );
      } else if (r.ok) {
        if (breaking.length) {
          bad.push(`rolled back to ${r.version} although it is unsafe: ${why}; a forward fix was required`);
          const next = ofType(events, 'deployer').find((d) => d.t > r.t && d.action !== 'cleanup')?.t ?? Infinity;
          const errors = ofType(events, 'response').filter((e) => e.t > r.t && e.t < next && e.status >= 500);
          bad.push(
            ...errors.map(
              (e) => `  then session ${e.session} got ${e.status} for ${pathOf(e.url)} during ${stepAt(events, e.t) ?? 'the run'}`,
            ),
          );
        } else evidence.push(`rollback to ${r.version} was safe (${db === null ? 'no database' : why}) and ran`);
      }
    }
    if (bad.length) return { verdict: 'fail', evidence: capped([...bad, ...evidence], 15) };
    return { verdict: 'pass', evidence };
  },
};

function levelsBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from + 1; n <= to; n++) out.push(n);
  return out;
}

/** The deploy that fixed forward after a refused rollback, if the scenario has one. */
function forwardFix(
  events: Parameters<Check['judge']>[0]['events'],
  after: number,
  db: number,
  versions: Record<string, { schema?: number }>,
): string[] {
  const fix = ofType(events, 'deployer').find(
    (d) => d.t > after && d.ok && d.action === 'deploy' && (versions[d.version]?.schema ?? 1) >= db,
  );
  return fix
    ? [
        `forward fix: deploy ${fix.version} (reads schema ${versions[fix.version]?.schema ?? 1}) during ${stepAt(events, fix.t) ?? 'the run'}`,
      ]
    : [];
}
