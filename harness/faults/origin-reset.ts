import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { onOrigins, originTarget } from './origin-target.ts';
import { recordHit } from './fault.ts';

const params = z.strictObject({
  target: originTarget.default('new'),
  probability: z.number().min(0).max(1).default(0.5),
  /** The first `after` connections to each origin are answered whole (a release that fails once warm, or under load). */
  after: z.number().int().min(0).max(10_000).default(0),
});

/** Answers cut off half-way by a TCP reset, with the run's seeded chance per connection. */
export const originReset: FaultKind<z.infer<typeof params>> = {
  name: 'origin-reset',
  area: 'origin',
  needs: ['faultLayer'],
  description:
    "A connection from the edge to the targeted origins is reset half-way through the answer, with the given probability (drawn from the run seed). A deployer's health check must not take one good answer as proof, nor one reset as a failed release.",
  params,
  label: (p) =>
    `origins (${p.target}) reset ${Math.round(p.probability * 100)} % of connections mid-answer${p.after ? ` after the first ${p.after}` : ''}`,
  async inject(ctx, p) {
    return onOrigins(
      ctx,
      p.target,
      (o) => {
        let seen = 0;
        return o.layer.set({
          kind: 'reset',
          hit: () => {
            if (seen++ < p.after) return false;
            const yes = ctx.rng.chance(p.probability);
            if (yes) recordHit(ctx, 'origin-reset', `reset a connection to ${o.deploymentId} mid-answer`);
            return yes;
          },
        });
      },
      (o) => o.layer.set({ kind: 'pass' }),
    );
  },
};
