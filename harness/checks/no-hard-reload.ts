import { ofType, type Stamped } from '../core/history.ts';
import { capped, pathOf, type Check } from './check.ts';

/**
 * No session was silently hard-reloaded. Next recovers from some skew by replacing the whole
 * document (deployment id mismatch, a missing route chunk, a 404 on /_next/data): the page
 * works afterwards, but the user's state is gone. Reported as its own finding.
 */
export const noHardReload: Check = {
  name: 'no-hard-reload',
  description: 'no session was silently hard-reloaded (window state lost) by skew recovery',
  worlds: {
    pinned: 'the edge sends every pinned request to its own build: a hard reload means that build, or its origin, was gone',
    'single-origin':
      "one server runs the live build: only a deployer that routes an old tab's requests to its own build (in its nginx) keeps it from reloading; the document's script alone makes every click that needs the server a full page load (see recovers-by-navigation)",
    rolling:
      "mid-rollout, round-robin sends an old tab's request to a pod of either build, and after it to the new build only: only a deployer that keeps the old pods and routes by deployment id in its ingress keeps tabs from reloading",
  },
  fix: "Next fell back to a full page load because it could not fetch a route's data or manifest for the client's build: keep that build's build-id folder, data routes and origin reachable for pinned requests",
  judge({ events }) {
    const sessions = ofType(events, 'session-open');
    if (sessions.length === 0) return { verdict: 'inconclusive', evidence: ['no browser session ran'] };
    const reloads = ofType(events, 'hard-reload');
    if (reloads.length === 0)
      return { verdict: 'pass', evidence: [`${new Set(sessions.map((s) => s.session)).size} session(s), no unrequested document load`] };
    return {
      verdict: 'fail',
      evidence: capped(
        reloads.flatMap((r) => [
          `session ${r.session}: hard reload during "${r.during}" → now at ${pathOf(r.url)}${r.version ? ` showing version ${r.version}` : ''}`,
          ...causeOf(events, r),
        ]),
      ),
    };
  },
};

/** How far back a failed answer may be the reload's cause: Next reloads at once when a fetch fails. */
const CAUSE_WINDOW_MS = 5_000;

/**
 * The answer that made Next give up on client-side navigation: the session's last failed data,
 * RSC or manifest request before the reload, what it carried to reach its own build (nothing,
 * on a Pages Router data request of Next 14), and what would have routed it there.
 */
function causeOf(events: readonly Stamped[], reload: Stamped & { session: string }): string[] {
  const requests = ofType(events, 'request').filter((q) => q.session === reload.session && q.t <= reload.t);
  const requestOf = (r: { url: string; t: number }) => requests.filter((q) => q.url === r.url && q.t <= r.t).at(-1);
  // A navigation answer that failed, or that another build gave (Next compares its deployment id).
  const cause = ofType(events, 'response')
    .filter(
      (r) =>
        r.session === reload.session &&
        r.t <= reload.t &&
        reload.t - r.t <= CAUSE_WINDOW_MS &&
        (r.resource === 'fetch' || r.resource === 'xhr' || r.resource === 'script' || r.rsc) &&
        (r.status >= 400 || (r.deployment !== null && !!requestOf(r)?.pin && requestOf(r)?.pin !== r.deployment)),
    )
    .at(-1);
  if (!cause) return [];
  const request = requestOf(cause);
  const path = pathOf(cause.url);
  const answer =
    cause.status >= 400
      ? `${cause.status}${cause.deployment ? ` from deployment ${cause.deployment}` : ''}`
      : `${cause.status} from deployment ${cause.deployment}, not the tab's`;
  const carried = request?.pin
    ? `it carried deployment id ${request.pin}`
    : 'it carried no deployment id (neither x-deployment-id nor ?dpl=)';
  const data = /\/_next\/data\/([^/]+)\//.exec(new URL(cause.url, 'http://h').pathname);
  const fix = data
    ? request?.pin
      ? `route /_next/data requests by their x-deployment-id to the build that made the tab`
      : `this Next sends data requests without a deployment id: route /_next/data/${data[1]}/… by the build id in its path to that build's server (an nginx map on $uri), or upgrade to a Next that sends x-deployment-id on them`
    : request?.pin
      ? `keep the server of deployment ${request.pin} running and route requests pinned to it there`
      : `route the request to the build that made the tab; without a deployment id on it, only its path can tell`;
  return [`  caused by ${request?.method ?? 'GET'} ${path} → ${answer}: ${carried}; ${fix}`];
}
