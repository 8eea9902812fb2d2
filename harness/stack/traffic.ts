import type { History } from '../core/history.ts';
import type { Platform } from '../platform/platform.ts';

/** Records the platform's traffic table, with the deployment each revision runs. */
export function recordTraffic(history: History, platform: Platform, by: string): void {
  history.append({
    type: 'traffic',
    by,
    table: platform.currentTraffic.map((t) => ({ ...t, deploymentId: platform.revision(t.revisionName)!.deploymentId })),
  });
}
