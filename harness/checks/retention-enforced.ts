import { ofType } from '../core/history.ts';
import type { Check } from './check.ts';
import { deployOrder, objectsAtEnd } from './store.ts';

/**
 * The other half of the retain window: the skew-protection document's GC keeps the newest N
 * build ids or those serving traffic, and deletes the rest. A GC that never deletes (it skips
 * itself on every deploy, or its window never closes) passes every user-facing check while the
 * bucket grows forever. Judged at the end, from the recorded store changes and traffic table.
 */
export const retentionEnforced: Check = {
  name: 'retention-enforced',
  description: 'builds outside the retain window and not serving traffic are deleted from the object store by the end',
  fix: 'the GC kept builds it should delete: check that it resolves the live set (a skip on every deploy deletes nothing) and that its window is assetRetention build ids, not more',
  judge({ events, versions, deployerOptions }) {
    const window = Number(deployerOptions?.assetRetention ?? 3);
    const order = deployOrder(events);
    if (ofType(events, 'bucket').length === 0 || order.length === 0)
      return { verdict: 'inconclusive', evidence: ['no deploys or no object store changes were recorded (platform scenarios only)'] };
    const store = objectsAtEnd(events);
    // Live as the last GC saw it: the traffic table in force while the last deployer action ran
    // (a deploy's own rollout comes after its GC, so the build it replaced was still live then).
    const last = ofType(events, 'deployer').at(-1)!;
    const before = events.slice(0, events.indexOf(last));
    const live = new Set((ofType(before, 'traffic').at(-1)?.table ?? []).filter((t) => t.percent > 0).map((t) => t.deploymentId));
    const kept: string[] = [];
    const left: string[] = [];
    for (const [i, version] of order.entries()) {
      const b = versions[version];
      if (!b) continue;
      const age = order.length - 1 - i;
      const inStore = store.has(`${b.buildId}/_buildManifest.js`);
      if (age < window || live.has(b.deploymentId)) kept.push(version);
      else if (inStore)
        left.push(
          `build ${version} (${age} deploy(s) old, outside the window of ${window}, not live at the last GC) is still in the store`,
        );
    }
    if (left.length) return { verdict: 'fail', evidence: left };
    return {
      verdict: 'pass',
      evidence: [`kept ${kept.join(', ')} (window ${window}, or live at the last GC); every older build was deleted`],
    };
  },
};
