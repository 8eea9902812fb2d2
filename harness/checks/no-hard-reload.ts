import { ofType } from '../core/history.ts';
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
        reloads.map(
          (r) =>
            `session ${r.session}: hard reload during "${r.during}" → now at ${pathOf(r.url)}${r.version ? ` showing version ${r.version}` : ''}`,
        ),
      ),
    };
  },
};
