import { join } from 'node:path';
import { BUCKET } from '../../cdn/nginx-config.ts';
import { diffObjects, listBucket } from '../../platform/bucket.ts';
import type { WorldObserver } from '../worlds/world.ts';

/**
 * The platform's object store: every object the action uploads or deletes under the app, for the
 * reference checks, and anything it deletes outside it (other apps share the bucket).
 */
export function bucketDiff(app: string): WorldObserver {
  return {
    name: 'bucket-diff',
    attach: async ({ history, deployRoot, action, version }) => {
      const dir = join(deployRoot, BUCKET);
      const before = await listBucket(dir, app);
      return {
        completed: async () => {
          const after = await listBucket(dir, app);
          const { uploaded, deleted } = diffObjects(before.app, after.app);
          const outside = diffObjects(before.outside, after.outside).deleted;
          if (uploaded.length || deleted.length || outside.length)
            history.append({
              type: 'bucket',
              after: `${action} ${version}`,
              uploaded,
              deleted,
              ...(outside.length ? { deletedOutside: outside } : {}),
            });
        },
      };
    },
  };
}
