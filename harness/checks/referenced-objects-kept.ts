import { ofType, type Stamped } from '../core/history.ts';
import { capped, stepAt, type Check, type CheckInput } from './check.ts';

const PREFIX = '/_next/static/';

/**
 * Beyond "delete by build id": chunks live in shared folders, so a GC can keep a build's
 * build-id folder and still delete a chunk it needs. After every deployer action, each build
 * that is kept (its `_buildManifest.js` is in the store) or live (in the traffic table) must
 * still have every object its pages and lazy chunks reference. Replayed from the recorded
 * uploads and deletions; names the deleted object, the build that needs it, and the step.
 */
export const referencedObjectsKept: Check = {
  name: 'referenced-objects-kept',
  description: 'no object a kept or live build references is deleted from the object store',
  fix: 'delete only objects no kept or live build references: scope deletes to <app>/_next/static/<buildId>/, never sweep shared chunks/css/media by age or by prefix, and resolve the live set from the traffic table (skip the GC when it cannot be resolved)',
  judge({ events, versions }) {
    const changes = ofType(events, 'bucket');
    if (changes.length === 0)
      return { verdict: 'inconclusive', evidence: ['no object store changes were recorded (platform scenarios only)'] };
    const needs = objectsByBuild(versions);
    const store = new Set<string>();
    const broken = new Map<string, string>();
    let checks = 0;
    for (const c of changes) {
      for (const k of c.uploaded) store.add(k);
      for (const k of c.deleted) store.delete(k);
      const live = liveBefore(events, c);
      for (const [v, b] of Object.entries(versions)) {
        const kept = store.has(`${b.buildId}/_buildManifest.js`);
        if (!kept && !live.has(b.deploymentId)) continue;
        checks++;
        for (const key of needs.get(v) ?? []) {
          if (store.has(key) || !c.deleted.includes(key) || broken.has(`${v}:${key}`)) continue;
          broken.set(
            `${v}:${key}`,
            `${stepAt(events, c.t) ?? c.after} deleted ${key}, which ${v} needs (${[kept && 'kept', live.has(b.deploymentId) && 'live'].filter(Boolean).join(' and ')})${sessionsNeeding(events, PREFIX + key)}`,
          );
        }
      }
    }
    if (broken.size) return { verdict: 'fail', evidence: capped([...broken.values()], 15) };
    return {
      verdict: 'pass',
      evidence: [`${changes.length} store change(s), ${checks} kept/live build state(s) checked: every referenced object present`],
    };
  },
};

function objectsByBuild(versions: CheckInput['versions']): Map<string, string[]> {
  return new Map(
    Object.entries(versions).map(([v, b]) => [v, (b.assets ?? []).filter((u) => u.startsWith(PREFIX)).map((u) => u.slice(PREFIX.length))]),
  );
}

/** Deployment ids in the traffic table in force when `e` happened (by order: a rollout is recorded after the action's changes). */
function liveBefore(events: readonly Stamped[], e: Stamped): Set<string> {
  const upTo = events.slice(0, events.indexOf(e));
  const table = ofType(upTo, 'traffic').at(-1)?.table ?? [];
  return new Set(table.filter((r) => r.percent > 0).map((r) => r.deploymentId));
}

/** "; session x got 404 for it" when a browser later asked for the object. */
function sessionsNeeding(events: readonly Stamped[], path: string): string {
  const hits = ofType(events, 'response').filter((r) => r.status >= 400 && new URL(r.url).pathname === path);
  const sessions = [...new Set(hits.map((r) => r.session))];
  return sessions.length ? `; session ${sessions.join(', ')} then got ${hits[0]!.status} for it` : '';
}
