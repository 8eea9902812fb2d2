import { ofType, type Stamped } from '../core/history.ts';
import { appOwnFailures } from './app-own-errors.ts';
import { capped, pathOf, type Check } from './check.ts';

/**
 * A deployer killed mid-action (storage-kill-after) must leave the stack consistent — every
 * page, chunk and probed file still answers — or its rerun must repair it. Says which.
 */
export const survivesInterruption: Check = {
  name: 'survives-interruption',
  description:
    'after a deployer action was killed part-way, the stack still served everything; or else the rerun of that action repaired it',
  fix: 'write a release or upload under a temporary name and switch atomically (rsync to <id>.tmp, then mv; objects before the HTML that references them), and make a rerun verify or redo a half-finished copy instead of skipping an existing directory',
  judge({ events }) {
    const killed = ofType(events, 'deployer').filter((d) => d.interrupted);
    if (!killed.length)
      return {
        verdict: 'inconclusive',
        evidence: ['no deployer action was killed (the fault never fired: did the deployer write fewer files?)'],
      };
    const evidence: string[] = [];
    let failed = false;
    for (const k of killed) {
      const deployerEvents = ofType(events, 'deployer');
      // The rerun: the same action for the same version, next time the deployer is asked.
      const rerun = deployerEvents.find((d) => d.t > k.t && d.action === k.action && d.version === k.version);
      const nextAction = deployerEvents.find((d) => d.t > k.t);
      // What the app failed on before this action began is not the interruption's doing.
      const own = appOwnFailures(events, k.t - k.ms);
      const after = problems(events, k.t, nextAction?.t ?? Infinity, own.isOwn);
      const what = `${k.action} ${k.version} killed (${k.error ?? 'by a fault'})`;
      if (rerun && !rerun.ok) {
        failed = true;
        evidence.push(
          `${what}: its rerun ${rerun.refused ? `refused: ${rerun.refused}` : `failed: ${rerun.error ?? 'no reason'}`} — the deployer cannot finish after being interrupted`,
          ...capped(
            after.map((p) => `  after the kill: ${p}`),
            5,
          ),
        );
        continue;
      }
      const afterRerun = rerun ? problems(events, rerun.t, deployerEvents.find((d) => d.t > rerun.t)?.t ?? Infinity, own.isOwn) : undefined;
      if (!after.length && !afterRerun?.length) {
        evidence.push(`${what}: the stack stayed consistent (everything asked for answered)${rerun ? ', and the rerun completed it' : ''}`);
        continue;
      }
      if (afterRerun && !afterRerun.length) {
        evidence.push(
          `${what}: the stack was inconsistent until the rerun (${after.length} problem(s), e.g. ${after[0]}); the rerun repaired it`,
        );
        continue;
      }
      failed = true;
      evidence.push(
        `${what}: the stack was inconsistent ${afterRerun ? 'after the rerun too' : 'afterwards and no rerun followed'}`,
        ...capped(
          (afterRerun ?? after).map((p) => `  ${p}`),
          10,
        ),
      );
    }
    return { verdict: failed ? 'fail' : 'pass', evidence };
  },
};

/** What failed between two moments: browser asset/page errors, failed actions, probes ≥ 400. */
function problems(events: readonly Stamped[], from: number, to: number, isOwn: (r: { status: number; url: string }) => boolean): string[] {
  const within = (e: Stamped) => e.t > from && e.t < to;
  return [
    ...ofType(events, 'response')
      .filter((r) => within(r) && r.status >= 400 && (r.url.includes('/_next/') || r.resource === 'document') && !isOwn(r))
      .map((r) => `session ${r.session}: ${r.status} ${pathOf(r.url)}`),
    ...ofType(events, 'pageerror')
      .filter(within)
      .map((e) => `session ${e.session}: ${e.message.slice(0, 160)}`),
    ...ofType(events, 'action')
      .filter((a) => within(a) && a.outcome !== 'ok')
      .map((a) => `session ${a.session}: ${a.action} ${a.target} → ${a.outcome}`),
    ...ofType(events, 'probe')
      .filter((p) => within(p) && p.status >= 400)
      .map((p) => `probe ${p.label}: ${p.status} ${p.url}`),
  ];
}
