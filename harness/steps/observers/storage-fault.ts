import type { ActionObserver } from './observer.ts';

/** A storage fault watches the action through its handle (pause, resume, kill) while it runs. */
export const storageFault: ActionObserver = {
  name: 'storage-fault',
  attach: ({ ctx }) => {
    const watch = ctx.duringDeploy.interrupt;
    if (!watch) return undefined;
    let unwatch: (() => void) | undefined;
    return {
      started: (handle) => {
        unwatch = watch(ctx.stack.deployRoot, handle);
      },
      ended: () => unwatch?.(),
    };
  },
};
