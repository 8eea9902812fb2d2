import { type EventOf, ofType, type Stamped } from '../core/history.ts';
import { capped, pathOf, reloadsByAction, type Check, type CheckInput, versionOf } from './check.ts';

/**
 * When Next.js cannot serve a click from the build a tab runs (the server knows another build),
 * it loads the page anew from the current build: the user keeps working but loses the page's
 * state. That is its own outcome, neither skew-free nor broken. A recovery counts when the click
 * caused one document load and ended on a working page of the build live at that moment; more
 * loads (a reload loop), a broken page or another build's page are failures.
 */
export const recoversByNavigation: Check = {
  name: 'recovers-by-navigation',
  description:
    "each hard reload skew caused was a clean recovery: one document load for the user's action, ending on a working page of the current build",
  worlds: {
    pinned: 'rare: a pinned request reaches its own build, so a full page load happens only when that build is gone',
    'single-origin':
      "the common outcome of the document's script: an old tab's click reaches the new server, and Next loads the page anew; this check tells a clean recovery from a broken one",
    rolling:
      "mid-rollout a full page load may land on a pod of either build (both are live); after the rollout it must show the new one. A recovery that then loads chunks round-robin sends to the other build's pods fails elsewhere (no-chunk-load-error)",
  },
  fix: 'a full page load did not bring the user back to a working page of the live build: keep the old build reachable for its tabs (route them by deployment id), or make sure a fresh load always gets the current build (purge its HTML)',
  judge(input) {
    const { events } = input;
    const sessions = new Set(ofType(events, 'session-open').map((s) => s.session));
    if (sessions.size === 0) return { verdict: 'inconclusive', evidence: ['no browser session ran'] };
    const reloads = ofType(events, 'hard-reload');
    if (reloads.length === 0) return { verdict: 'pass', evidence: [`${sessions.size} session(s), no recovery needed: no hard reload`] };
    const recovered: string[] = [];
    const failed: string[] = [];
    for (const { session, step, loads } of reloadsByAction(events)) {
      const last = loads.at(-1)!;
      const action = actionOf(events, last);
      const live = liveVersionsAt(input, last.t);
      const where = `session ${session} during ${step}: ${pathOf(last.url)}`;
      if (loads.length > 1) failed.push(`${where}: ${loads.length} document loads for one action (a reload loop)`);
      else if (action && action.outcome !== 'ok')
        failed.push(
          `${where}: the full page load ended on ${action.outcome === 'error-page' ? "Next's error page" : 'a page without the content asked for'}`,
        );
      else if (live.length && !live.includes(last.version ?? ''))
        failed.push(
          `${where}: the full page load showed version ${last.version ?? 'unknown'}, but ${live.join(' and ')} ${live.length > 1 ? 'were' : 'was'} live`,
        );
      else recovered.push(`${where}: recovered by one full page load, now on version ${last.version ?? (live.join('/') || 'unknown')}`);
    }
    const perSession = [...new Set(reloads.map((r) => r.session))]
      .map((s) => `${s} ${recovered.filter((l) => l.startsWith(`session ${s} `)).length}`)
      .join(', ');
    if (failed.length) return { verdict: 'fail', evidence: capped([...failed, ...recovered]) };
    return {
      verdict: 'pass',
      evidence: capped([`${recovered.length} recovery(ies) by navigation (per session: ${perSession})`, ...recovered]),
    };
  },
};

/** The user action a hard reload happened in: the session's action it names, nearest in time. */
function actionOf(events: readonly Stamped[], r: EventOf<'hard-reload'>): EventOf<'action'> | undefined {
  const same = ofType(events, 'action').filter((a) => a.session === r.session && `${a.action} ${a.target}` === r.during);
  return same.sort((x, y) => Math.abs(x.t - r.t) - Math.abs(y.t - r.t))[0];
}

/**
 * The versions live at time `t` (the stack's last record before it): `current`, or while a
 * rolling world's rollout mixes two builds, both (a fresh load may get either).
 */
function liveVersionsAt(input: CheckInput, t: number): string[] {
  const stack = ofType(input.events, 'stack')
    .filter((s) => s.t <= t && (s.current || s.serving?.length))
    .at(-1);
  const ids = stack?.serving?.length ? stack.serving : stack?.current ? [stack.current] : [];
  return ids.map((id) => versionOf(input, id));
}
