import { ofType, type PurgeRecord } from '../core/history.ts';
import { capped, type Check } from './check.ts';

/**
 * A deploy that reports success must have had its purge accepted: every purge request the purge
 * API refused or could not answer (429, 5xx, no answer) during a deployer action has to be
 * followed by an accepted one before the action ends. A deployer that ignores the failure
 * leaves the old HTML at the edge and says nothing.
 */
export const purgesConfirmed: Check = {
  name: 'purges-confirmed',
  description: 'every purge the API refused or left unanswered during a successful deploy/rollback was retried until accepted',
  fix: "check the purge API's answer: on 429 wait Retry-After and retry, on a 5xx, a non-JSON answer or no answer (use a timeout) back off and retry; fail the deploy when the purge never gets through",
  judge({ events }) {
    const actions = ofType(events, 'deployer').filter((d) => d.ok && d.action !== 'cleanup');
    const purges = ofType(events, 'purge').filter((p) => p.via !== 'direct');
    if (!purges.length) return { verdict: 'inconclusive', evidence: ['no purge request was made'] };
    const bad: string[] = [];
    const ok: string[] = [];
    for (const d of actions) {
      const within = purges.filter((p) => p.t >= d.t - d.ms && p.t <= d.t);
      const failed = within.filter((p) => (p.status ?? 200) >= 400 && p.status !== 400 && p.status !== 403 && p.status !== 404);
      for (const f of failed) {
        const retried = within.find((p) => p.t > f.t && p.status === 200 && covers(p.request, f.request));
        const what = `${d.action} ${d.version}: purge answered ${f.status}${f.errorCode ? ` (code ${f.errorCode})` : ''}${f.note ? ` — ${f.note}` : ''}`;
        if (retried) ok.push(`${what}; retried and accepted ${((retried.t - f.t) / 1000).toFixed(1)} s later`);
        else bad.push(`${what}; never retried, yet the ${d.action} reported success`);
      }
      if (!failed.length && within.length) ok.push(`${d.action} ${d.version}: ${within.length} purge request(s), none refused`);
    }
    return { verdict: bad.length ? 'fail' : 'pass', evidence: [...capped(bad), ...capped(ok, 6)] };
  },
};

/** Does the accepted purge `later` cover what the failed one asked for (a retry, not some other purge)? */
export function covers(later: PurgeRecord | undefined, failed: PurgeRecord | undefined): boolean {
  if (!later || !failed) return false;
  if ('everything' in later) return true;
  if ('files' in later && 'files' in failed) return failed.files.every((f) => later.files.includes(f));
  return JSON.stringify(later) === JSON.stringify(failed);
}
