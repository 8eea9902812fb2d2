import { type EventOf, ofType, type Stamped } from '../core/history.ts';
import { actionWindow, capped, type Check } from './check.ts';

/** What Next.js says when a server does not know the action an old tab calls. */
const NOT_FOUND = /Failed to find Server Action|was not found on the server/;

/** The action events of Server Action calls (step serverAction). */
export function serverActionEvents(events: readonly Stamped[]): EventOf<'action'>[] {
  return ofType(events, 'action').filter((a) => a.action.startsWith('serverAction'));
}

/**
 * Every Server Action an open tab called worked: the server knew it (no "Failed to find Server
 * Action"), it ran in the build the tab runs (its result shows that build, unless a full page
 * load brought the tab to another build first), and the tab went on working afterwards.
 */
export const serverActions: Check = {
  name: 'server-actions',
  description:
    'every Server Action a tab called was found, ran in the build the tab runs (its result shows that build), and the tab kept working after it',
  worlds: {
    pinned: "the action's request carries x-deployment-id: the edge sends it to the tab's build while that build's server runs",
    'single-origin':
      "one server runs the live build: an old tab's action reaches it, and it does not know the action's id (each build salts its ids) — only a deployer that routes by deployment id to the old build's server passes",
    rolling:
      "mid-rollout round-robin sends an old tab's action to a pod of either build; only routing by deployment id keeps it on the tab's build",
  },
  fix: "a Server Action of an open tab reached a server of another build: keep the old build's server running for its tabs and route requests carrying its x-deployment-id to it (Server Action ids differ per build unless NEXT_SERVER_ACTIONS_ENCRYPTION_KEY is fixed, and then the new build's code runs the old tab's call)",
  judge({ events }) {
    const calls = serverActionEvents(events);
    if (calls.length === 0) return { verdict: 'inconclusive', evidence: ['no session called a Server Action'] };
    const problems: string[] = [];
    for (const a of calls) {
      const { from, to } = actionWindow(events, a);
      const during = (e: Stamped & { session?: string }) => e.session === a.session && e.t >= from && e.t <= to;
      const where = `session ${a.session}: ${a.action}`;
      const notFound = ofType(events, 'response').filter((r) => during(r) && r.actionNotFound);
      const said = [...ofType(events, 'pageerror'), ...ofType(events, 'console-error')].filter(
        (e) => during(e) && NOT_FOUND.test(e.message),
      );
      if (notFound.length || said.length)
        problems.push(
          `${where}: the server did not know the action${notFound.length ? ` (${notFound[0]!.status}, x-nextjs-action-not-found: 1)` : ''}${said.length ? `: "${said[0]!.message.split('\n')[0]}"` : ''}`,
        );
      else if (a.outcome !== 'ok')
        problems.push(`${where}: ${a.detail ?? (a.outcome === 'error-page' ? "Next's error page replaced the page" : 'no result')}`);
      const result = a.shown?.[`${a.target}-result`];
      const tab = a.shown?.tab;
      if (result && tab && result !== tab)
        problems.push(
          `${where}: the result came from build ${result}, in a tab running ${tab} (another build's code ran the old tab's call)`,
        );
      const reloaded = ofType(events, 'hard-reload').some(during);
      const next = ofType(events, 'action').find((n) => n.session === a.session && n.t > a.t);
      if (a.outcome !== 'ok' && next && next.outcome !== 'ok' && !reloaded)
        problems.push(`${where}: the tab stopped working after it (its next action, ${next.action} ${next.target}, failed too)`);
    }
    if (problems.length === 0)
      return { verdict: 'pass', evidence: [`${calls.length} Server Action call(s), each found and answered by the tab's build`] };
    return { verdict: 'fail', evidence: capped(problems) };
  },
};
