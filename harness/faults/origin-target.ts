import { z } from 'zod';
import type { LiveOrigin } from '../stack/stack.ts';
import type { FaultContext, Heal } from './fault.ts';
import { HarnessError } from '../errors/harness-error.ts';

/** Which origins an origin fault acts on: releases that had none when it came (`new`), all, or one version's. */
export const originTarget = z.union([z.literal('new'), z.literal('all'), z.string().regex(/^[A-Z]$/, 'new, all or a version letter')]);
export type OriginTarget = z.infer<typeof originTarget>;

/**
 * Applies `apply` to the targeted origins — those live now (unless `new`) and those started while
 * the fault is injected (with `new`, only for releases that had no origin when it came) — and
 * `undo` to each of them at heal. Origin faults act in the fault
 * layer between the edge and the origins (each declares `needs: ['faultLayer']`).
 */
export async function onOrigins(
  ctx: Pick<FaultContext, 'builds' | 'stack'>,
  target: OriginTarget,
  apply: (o: LiveOrigin) => Promise<void>,
  undo: (o: LiveOrigin) => Promise<void>,
): Promise<Heal> {
  const wanted = target === 'new' || target === 'all' ? undefined : ctx.builds[target]?.deploymentId;
  if (target !== 'new' && target !== 'all' && !wanted)
    throw new HarnessError(
      'INVALID_SCENARIO',
      `origin fault target ${target} is not among the scenario's versions (${Object.keys(ctx.builds).join(', ')})`,
      'target new, all, or one of the versions the scenario builds',
    );
  const hit: LiveOrigin[] = [];
  const take = async (o: LiveOrigin) => {
    hit.push(o);
    await apply(o);
  };
  try {
    if (target !== 'new') for (const o of ctx.stack.liveOrigins()) if (!wanted || o.deploymentId === wanted) await take(o);
  } catch (e) {
    // Half-applied is not injected: undo what was done, so nothing is left that no heal covers.
    for (const o of hit.splice(0)) await undo(o).catch(() => {});
    throw e;
  }
  // `new` is the release being deployed: a release that ran when the fault came is not new when
  // its server starts again (single-origin's process manager restarts the old one on a switch back).
  const before = target === 'new' ? new Set(ctx.stack.liveOrigins().map((o) => o.deploymentId)) : undefined;
  const hook = (o: LiveOrigin) => (before?.has(o.deploymentId) ? undefined : !wanted || o.deploymentId === wanted ? take(o) : undefined);
  ctx.stack.originStarted.add(hook);
  return async () => {
    ctx.stack.originStarted.delete(hook);
    for (const o of hit.splice(0)) await undo(o);
  };
}
