import { ofType, type Stamped } from '../core/history.ts';
import { classifyError } from '../core/failures.ts';
import type { Check } from './check.ts';
import { deployOrder, objectsAtEnd } from './store.ts';

/**
 * The retention trade-off as a table: for each browser session, the build it is on, how many
 * deploys came after that build, whether that is inside the retain window (`assetRetention`
 * newest builds) or live, and whether the session kept working. Fails only when a session
 * inside the window (or on a live build) broke, or when such a build lost its build-id folder
 * from the store (platform); older ones are the window's documented cost.
 */
export const survivalByAge: Check = {
  name: 'survival-by-age',
  description: 'sessions on builds inside the retain window (or live) keep working; the table shows every session by age',
  fix: 'sessions inside the retain window broke: the GC removed something those builds need; raise assetRetention only after fixing what it deletes',
  judge({ events, versions, deployerOptions }) {
    const window = Number(deployerOptions?.assetRetention ?? 3);
    const order = deployOrder(events);
    const table = ofType(events, 'traffic').at(-1)?.table ?? [];
    const live = new Set(table.filter((t) => t.percent > 0).map((t) => t.deploymentId));
    const opens = ofType(events, 'session-open').filter((o, i, all) => all.findIndex((x) => x.session === o.session) === i);
    if (opens.length === 0 || order.length === 0) return { verdict: 'inconclusive', evidence: ['no deploys or no sessions to judge'] };
    // Whether each build's build-id folder is still in the object store at the end.
    const store = objectsAtEnd(events);
    const rows = [`retain window ${window}: session | on | deploys since | inside window | build-id folder in store | outcome`];
    const bad: string[] = [];
    for (const o of opens) {
      const version = Object.entries(versions).find(([, b]) => b.deploymentId === o.deploymentId)?.[0] ?? o.version ?? '?';
      const age = order.length - 1 - order.lastIndexOf(version);
      const isLive = live.has(versions[version]?.deploymentId ?? '');
      const inside = age < window || isLive;
      const broke = breakage(events, o.session);
      const inStore = store.has(`${versions[version]?.buildId}/_buildManifest.js`);
      rows.push(
        `${o.session} | ${version} | ${age} | ${inside ? (isLive && age >= window ? 'live' : 'yes') : 'no'} | ${inStore ? 'yes' : 'no'} | ${broke ?? (inStore ? 'kept working' : 'kept working (its build-id folder is gone: the tab had it in memory, or the edge cache still held it)')}`,
      );
      if (inside && broke)
        bad.push(`session ${o.session} on ${version} (${age} deploy(s) old, inside the window of ${window}) broke: ${broke}`);
    }
    // A build the window keeps must keep its build-id folder, whether or not a session of it
    // noticed: the edge or a tab may still hold its manifest, and the next cache miss gets 404.
    if (ofType(events, 'bucket').length)
      for (const [i, version] of order.entries()) {
        const b = versions[version];
        if (!b) continue;
        const age = order.length - 1 - i;
        const isLive = live.has(b.deploymentId);
        if ((age < window || isLive) && !store.has(`${b.buildId}/_buildManifest.js`))
          bad.push(
            `build ${version} (${age} deploy(s) old${isLive ? ', live' : ''}, inside the window of ${window}) lost its build-id folder ${b.buildId}/ from the store: what an edge or a tab still holds hides it until the next cache miss, which gets 404`,
          );
      }
    return bad.length ? { verdict: 'fail', evidence: [...bad, ...rows] } : { verdict: 'pass', evidence: rows };
  },
};

/** The first sign a session broke: a failed action, a hard reload, or a chunk error. */
function breakage(events: readonly Stamped[], session: string): string | undefined {
  const action = ofType(events, 'action').find((a) => a.session === session && a.outcome !== 'ok');
  if (action) return `${action.action} ${action.target} → ${action.outcome}`;
  const reload = ofType(events, 'hard-reload').find((r) => r.session === session);
  if (reload) return `hard reload during ${reload.during}`;
  const error = ofType(events, 'pageerror').find((e) => e.session === session && classifyError(e.message));
  return error ? classifyError(error.message)!.failure : undefined;
}
