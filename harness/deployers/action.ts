import type { ActionHandle, ActionOutcome, DeployAction, DeployContext, Deployer, HandledAction } from './deployer.ts';

/**
 * Starts one deployer action, or returns undefined when the deployer has no such action (a
 * `cleanup` it does not implement keeps everything, which is safe). An action that runs outside
 * this process (a command's) hands back its own handle; a module deployer runs here, cannot be
 * paused, and a kill aborts its `ctx.signal` (it should stop where it is).
 */
export function startAction(deployer: Deployer, action: DeployAction, ctx: DeployContext): ActionHandle | undefined {
  const act = deployer[action];
  if (!act) return undefined;
  if (isHandled(act)) return act.start(ctx);
  const abort = new AbortController();
  const outcome = (async (): Promise<ActionOutcome> => {
    try {
      const r = await act.call(deployer, { ...ctx, signal: abort.signal });
      return r?.refused ? { refused: r.refused } : { done: true };
    } catch (e) {
      if (!abort.signal.aborted) throw e;
      return { interrupted: e instanceof Error ? e.message : String(e) };
    }
  })();
  return { outcome, pause: () => false, resume: () => {}, kill: (reason) => abort.abort(reason), output: () => [] };
}

function isHandled(act: Deployer['deploy']): act is HandledAction {
  return typeof (act as Partial<HandledAction>).start === 'function';
}
