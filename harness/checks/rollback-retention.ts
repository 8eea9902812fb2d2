import { clockOf, ofType, type EventOf, type Stamped } from '../core/history.ts';
import { capped, pathOf, stepAt, type Check } from './check.ts';

/** The rollback document's FAQ: "at least fifteen minutes after the CDN purge reports complete". */
export const RETENTION_MS = 15 * 60_000;

/**
 * After a rollback, the build rolled back from keeps its static files for 15 minutes on the
 * scenario clock, counted from the last purge of the rollback: a tab (or a CDN node) still
 * holding its HTML can load everything it references. Judged from the asset probes of that
 * build and from what the browser sessions requested of it.
 */
export const rollbackRetention: Check = {
  name: 'rollback-retention',
  description: "the build rolled back from keeps its static files for 15 min (scenario clock) after the rollback's purge",
  fix: "after a rollback keep the bad build's static files on origin for at least 15 minutes after the CDN purge completes; let the delayed cleanup remove them only after that",
  judge(input) {
    const { events } = input;
    const rollbacks = rollbacksWithBadVersion(events);
    if (rollbacks.length === 0)
      return { verdict: 'inconclusive', evidence: ['no rollback away from a live version was recorded: nothing to keep'] };
    const evidence: string[] = [];
    const broken: string[] = [];
    let judged = 0;
    rollbacks.forEach(({ rollback, bad, start }, i) => {
      const until = rollbacks[i + 1]?.start ?? Infinity;
      const ids = input.versions[bad];
      const purge = ofType(events, 'purge')
        .filter((p) => p.t >= start && p.t <= rollback.t && (p.status ?? 200) < 300)
        .at(-1);
      const zero = clockOf(purge ?? rollback);
      evidence.push(
        `rollback to ${rollback.version} away from ${bad}: window of 15 min from ${purge ? 'its last purge' : 'its end (it purged nothing)'}`,
      );
      const within = (e: Stamped) => e.t > rollback.t && e.t < until && clockOf(e) - zero < RETENTION_MS;
      const after = (e: Stamped) => e.t > rollback.t && e.t < until && clockOf(e) - zero >= RETENTION_MS;
      const at = (e: Stamped) => `+${fmtMin(clockOf(e) - zero)}`;

      for (const [label, group] of groups(ofType(events, 'probe').filter((p) => p.version === bad && p.t > rollback.t && p.t < until))) {
        const failed = group.filter((p) => p.status !== 200);
        const first = group[0]!;
        const line = `${at(first)} (${label}): ${group.length - failed.length}/${group.length} requests for ${bad}'s assets answered 200${first.origin ? ' on origin' : ''}`;
        if (within(first)) {
          judged++;
          evidence.push(line);
          for (const p of failed)
            broken.push(
              `${at(p)} after the purge, inside the window: ${p.status} ${p.url}${p.origin ? ' on origin' : ''} (${bad}, ${p.assetKind ?? 'asset'}) during ${stepAt(events, p.t) ?? 'the run'}`,
            );
        } else if (after(first)) {
          evidence.push(
            `${line} — after the window, ${failed.length ? 'removed by cleanup (allowed)' : 'still kept (allowed; storage grows until a cleanup removes it)'}`,
          );
        }
      }
      const isBad = (url: string) =>
        ids !== undefined &&
        new URL(url).pathname.includes('/_next/static/') &&
        (url.includes(`dpl=${ids.deploymentId}`) || url.includes(`/${ids.buildId}/`));
      const requested = ofType(events, 'response').filter((r) => isBad(r.url) && within(r));
      judged += requested.length;
      for (const r of requested.filter((r) => r.status >= 400)) {
        broken.push(
          `${at(r)} after the purge, inside the window: session ${r.session} got ${r.status} ${pathOf(r.url)} during ${stepAt(events, r.t) ?? 'the run'}`,
        );
      }
    });
    if (broken.length) return { verdict: 'fail', evidence: [...evidence, ...capped([...new Set(broken)], 15)] };
    if (judged === 0)
      return {
        verdict: 'inconclusive',
        evidence: [
          ...evidence,
          'nothing requested the rolled-back build inside the window (add a probeAssets step before advancing the clock 15 min)',
        ],
      };
    return { verdict: 'pass', evidence };
  },
};

/** Each successful rollback, the version that was live before it, and when its step began. */
function rollbacksWithBadVersion(events: readonly Stamped[]): { rollback: EventOf<'deployer'>; bad: string; start: number }[] {
  const out: { rollback: EventOf<'deployer'>; bad: string; start: number }[] = [];
  let live: string | undefined;
  for (const d of ofType(events, 'deployer')) {
    if (!d.ok || d.action === 'cleanup') continue;
    if (d.action === 'rollback' && live && live !== d.version) {
      const start =
        ofType(events, 'step')
          .filter((s) => s.phase === 'start' && s.t <= d.t)
          .at(-1)?.t ?? 0;
      out.push({ rollback: d, bad: live, start });
    }
    live = d.version;
  }
  return out;
}

function groups<E extends { label: string }>(items: E[]): Map<string, E[]> {
  const m = new Map<string, E[]>();
  for (const it of items) m.set(it.label, [...(m.get(it.label) ?? []), it]);
  return m;
}

function fmtMin(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`;
}
