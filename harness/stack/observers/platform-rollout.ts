import type { Platform } from '../../platform/platform.ts';
import { recordTraffic } from '../traffic.ts';
import type { WorldObserver } from '../worlds/world.ts';

/** The operator's rollout: a revision a deploy created gets its share of new visitors once the deploy is done. */
export function platformRollout(platform: Platform): WorldObserver {
  return {
    name: 'platform-rollout',
    attach: ({ history, action, deploymentId, traffic }) => {
      if (action !== 'deploy') return undefined;
      const before = platform.revisions.length;
      return {
        completed: (outcome) => {
          if ('refused' in outcome) return;
          const created = platform.revisions.filter((r) => r.deploymentId === deploymentId && r.generation > before).at(-1);
          if (!created) return;
          platform.rollOut(created.name, traffic);
          recordTraffic(history, platform, `rollout of ${created.name} to ${traffic} %`);
        },
      };
    },
  };
}
