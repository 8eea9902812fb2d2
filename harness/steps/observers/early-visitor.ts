import { earlyVisit } from '../early-visitor.ts';
import type { ActionObserver } from './observer.ts';

/** `visitDuring`: a visitor loads a page each time the deployer reloads or purges, before it goes on. */
export const earlyVisitor: ActionObserver = {
  name: 'early-visitor',
  attach: ({ ctx, action, version, visitDuring }) => {
    if (!visitDuring) return undefined;
    // The visitor's own trouble (a refused connection) is recorded, never the deployer's failure.
    ctx.duringDeploy.afterChange = (what) =>
      earlyVisit(ctx, visitDuring, `after ${what} (${action} ${version})`).catch((e: unknown) =>
        ctx.log(`  early visitor failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    return {
      ended: () => {
        ctx.duringDeploy.afterChange = undefined;
      },
    };
  },
};
