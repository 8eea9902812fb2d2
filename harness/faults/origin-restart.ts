import { z } from 'zod';
import { type FaultKind, recordHit } from './fault.ts';
import { onOrigins, originTarget } from './origin-target.ts';

const params = z.strictObject({
  target: originTarget.default('all'),
  /** How long after the fault reaches an origin (injection for a live one, its start for a new one) it restarts. */
  afterMs: z.number().int().min(0).max(600_000).default(0),
});

/**
 * `pm2 restart`, not `pm2 reload`: the process manager stops the targeted origins (SIGTERM) and
 * starts each again from its release directory, on a new port behind the same route. Until the
 * new process listens the edge cannot reach it; afterwards it serves what its release holds now.
 */
export const originRestart: FaultKind<z.infer<typeof params>> = {
  name: 'origin-restart',
  area: 'origin',
  needs: ['faultLayer'],
  description:
    "The process manager restarts the targeted origins (default: all) `afterMs` after the fault reaches them: SIGTERM, then a new process started from the release directory as it is now. Requests meanwhile fail (502). A release must stay startable for as long as it is live: a deployer that changed or emptied a live release's directory is found out when it restarts.",
  params,
  label: (p) => `origins (${p.target}) restarted by the process manager${p.afterMs ? ` ${p.afterMs} ms after it reaches them` : ''}`,
  async inject(ctx, p) {
    const timers = new Set<NodeJS.Timeout>();
    const restarts = new Set<Promise<void>>();
    const restart = (id: string) => {
      const r = ctx.stack.restartOrigin(id).then(
        () => recordHit(ctx, 'origin-restart', `process manager restarted ${id}`),
        (e: unknown) => recordHit(ctx, 'origin-restart', `restarting ${id} failed: ${e instanceof Error ? e.message : String(e)}`),
      );
      restarts.add(r);
      return r;
    };
    const heal = await onOrigins(
      ctx,
      p.target,
      async (o) => {
        if (!p.afterMs) return void (await restart(o.deploymentId));
        timers.add(setTimeout(() => void restart(o.deploymentId), p.afterMs).unref());
      },
      async () => {},
    );
    return async () => {
      for (const t of timers) clearTimeout(t);
      await heal();
      await Promise.all(restarts);
    };
  },
};
