import { watchCurrent } from '../switch-watch.ts';
import type { WorldObserver } from '../worlds/world.ts';

/** Every replacement of the deploy root's `current` during the action, and any moment without it. */
export const switchWatch: WorldObserver = {
  name: 'switch-watch',
  attach: ({ history, deployRoot, action, version }) => {
    const watch = watchCurrent(deployRoot);
    return {
      ended: async () => {
        const { switches, gaps } = await watch.stop();
        if (switches || gaps.length) history.append({ type: 'switch', after: `${action} ${version}`, switches, gaps });
      },
    };
  },
};
