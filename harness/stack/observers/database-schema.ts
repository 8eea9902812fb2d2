import { join } from 'node:path';
import { databaseSchema as readSchema } from '../database.ts';
import { DATABASE } from '../release-store.ts';
import type { WorldObserver } from '../worlds/world.ts';

/** The database's schema version after each action that ran to its end (migrations, rollbacks). */
export const databaseSchema: WorldObserver = {
  name: 'database-schema',
  attach: ({ history, deployRoot, action, version }) => ({
    completed: () => {
      history.append({ type: 'database', schema: readSchema(join(deployRoot, DATABASE)), after: `${action} ${version}` });
    },
  }),
};
