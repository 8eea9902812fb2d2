import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { onOrigins, originTarget } from './origin-target.ts';
import { recordHit } from './fault.ts';

const params = z.strictObject({
  target: originTarget.default('new'),
  /** Refuse for this long after the fault reaches an origin (0: until healed). */
  forMs: z.number().int().min(0).max(600_000).default(0),
});

/**
 * The swap window: connections from the edge to the targeted origins are refused (the port is
 * closed, as before a process listens). A deployer must check that the new release answers
 * through the edge before it purges, and switch back if it never does.
 */
export const originRefuse: FaultKind<z.infer<typeof params>> = {
  name: 'origin-refuse',
  area: 'origin',
  needs: ['faultLayer'],
  description:
    'Connections from the edge to the targeted origins (default: the new release) are refused. A deployer must see that the new release answers through the edge before purging, and switch back (refuse the deploy) if it never does; one that purges anyway sends every visitor a 502.',
  params,
  label: (p) => `origins (${p.target}) refuse connections${p.forMs ? ` for ${p.forMs} ms` : ''}`,
  async inject(ctx, p) {
    const timers = new Set<NodeJS.Timeout>();
    const heal = await onOrigins(
      ctx,
      p.target,
      async (o) => {
        await o.layer.set({ kind: 'refuse' });
        if (p.forMs)
          timers.add(
            setTimeout(
              () =>
                void o.layer
                  .set({ kind: 'pass' })
                  .catch((e: unknown) => recordHit(ctx, 'origin-refuse', `reopening ${o.deploymentId} failed: ${String(e)}`)),
              p.forMs,
            ),
          );
      },
      (o) => o.layer.set({ kind: 'pass' }),
    );
    return async () => {
      for (const t of timers) clearTimeout(t);
      await heal();
    };
  },
};
