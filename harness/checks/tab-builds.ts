import { type EventOf, ofType, type Stamped } from '../core/history.ts';
import { type CheckInput, pathOf, versionOf } from './check.ts';

/**
 * The deployment id each tab runs at time `t`: the one it opened with, until a full page load
 * (a hard reload) brought it another build's page.
 */
export function tabBuildAt(input: CheckInput): (session: string, t: number) => string | undefined {
  const idOf = (version: string | null) => (version ? input.versions[version]?.deploymentId : undefined);
  // A hard reload is recorded once the new page could be read, after that page's own requests
  // left: it counts from the document answer that started it.
  const documents = ofType(input.events, 'response').filter((r) => r.resource === 'document');
  const startOf = (r: { session: string; t: number }) => documents.filter((d) => d.session === r.session && d.t <= r.t).at(-1)?.t ?? r.t;
  const loads = [
    ...ofType(input.events, 'session-open').map((o) => ({ session: o.session, t: o.t, id: o.deploymentId ?? idOf(o.version) })),
    ...ofType(input.events, 'hard-reload').map((r) => ({ session: r.session, t: startOf(r), id: idOf(r.version) })),
  ].sort((a, b) => a.t - b.t);
  return (session, t) => loads.filter((l) => l.session === session && l.t <= t).at(-1)?.id ?? undefined;
}

/**
 * The requests Next pins to the tab's build: `/_next/static` (`?dpl=`), and those it sends
 * x-deployment-id with, to the server: `/_next/data`, RSC and Server Action calls.
 */
export function pinnableRequests(events: readonly Stamped[], which: 'all' | 'server' = 'all'): EventOf<'request'>[] {
  const paths = which === 'all' ? /^\/_next\/(static|data)\// : /^\/_next\/data\//;
  return ofType(events, 'request').filter((r) => paths.test(new URL(r.url).pathname) || r.rsc || r.serverAction);
}

/** Each pinnable request that left without a deployment id, or with another than its tab's build's. */
export function requestPinProblems(
  input: CheckInput,
  which: 'all' | 'server' = 'all',
): { requests: EventOf<'request'>[]; problems: string[] } {
  const tabAt = tabBuildAt(input);
  const requests = pinnableRequests(input.events, which);
  const problems: string[] = [];
  for (const r of requests) {
    const tab = tabAt(r.session, r.t);
    const what = r.serverAction ? 'Server Action call' : r.rsc ? 'RSC request' : 'request';
    if (!r.pin) problems.push(`session ${r.session}: ${what} ${pathOf(r.url)} carries no deployment id`);
    else if (tab && r.pin !== tab)
      problems.push(
        `session ${r.session} (tab on ${versionOf(input, tab)}): ${what} ${pathOf(r.url)} carries ${versionOf(input, r.pin)}'s id`,
      );
  }
  return { requests, problems };
}
