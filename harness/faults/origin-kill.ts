import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { onOrigins, originTarget } from './origin-target.ts';
import { recordHit } from './fault.ts';

const params = z.strictObject({
  target: originTarget.default('new'),
  /** The process manager restarts a killed origin after this long (0: only the heal restarts it). */
  restartAfterMs: z.number().int().min(0).max(600_000).default(3_000),
});

/**
 * A crash mid-request: the targeted origin's process group gets SIGKILL while a request to it
 * is in flight (the first that reaches it after injection), and the process manager restarts it
 * `restartAfterMs` later. Until then the edge cannot reach it.
 */
export const originKill: FaultKind<z.infer<typeof params>> = {
  name: 'origin-kill',
  area: 'origin',
  needs: ['faultLayer'],
  description:
    'The targeted origin (default: the new release) is killed with SIGKILL while its first request is in flight, and restarted by the process manager `restartAfterMs` later. A deployer must wait until the new release answers through the edge before purging; the request in flight fails.',
  params,
  label: (p) =>
    `origins (${p.target}) killed mid-request${p.restartAfterMs ? `, restarted after ${p.restartAfterMs} ms` : ', restarted at heal'}`,
  async inject(ctx, p) {
    const killed = new Set<string>();
    const restarts = new Set<Promise<void>>();
    const timers = new Set<NodeJS.Timeout>();
    let healed = false;
    const restart = (id: string) => {
      if (!killed.delete(id)) return;
      const r = ctx.stack.restartOrigin(id).then(
        () => recordHit(ctx, 'origin-kill', `process manager restarted ${id}`),
        (e: unknown) => recordHit(ctx, 'origin-kill', `restarting ${id} failed: ${e instanceof Error ? e.message : String(e)}`),
      );
      restarts.add(r);
    };
    const heal = await onOrigins(
      ctx,
      p.target,
      async (o) => {
        o.layer.onRequest = () => {
          o.layer.onRequest = undefined;
          killed.add(o.deploymentId);
          recordHit(ctx, 'origin-kill', `SIGKILL to ${o.deploymentId} with a request in flight`);
          void o.origin.kill('SIGKILL').then(
            () => {
              // A heal that came while the kill was under way has restarted it already.
              if (p.restartAfterMs && !healed) timers.add(setTimeout(() => restart(o.deploymentId), p.restartAfterMs).unref());
            },
            (e: unknown) => recordHit(ctx, 'origin-kill', `killing ${o.deploymentId} failed: ${String(e)}`),
          );
        };
      },
      async (o) => {
        o.layer.onRequest = undefined;
      },
    );
    return async () => {
      healed = true;
      await heal();
      for (const t of timers) clearTimeout(t);
      for (const id of [...killed]) restart(id);
      await Promise.all(restarts);
    };
  },
};
