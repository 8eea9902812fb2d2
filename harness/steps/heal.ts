import { z } from 'zod';
import type { StepKind } from './step.ts';

const schema = z.object({ kind: z.literal('heal'), /** The injected fault's id (its name by default). */ fault: z.string().min(1) });
export type HealStep = z.infer<typeof schema>;

/** Heals an injected fault: what it held back happens now (a late purge lands, a port opens). */
export const heal: StepKind<HealStep> = {
  kind: 'heal',
  schema,
  label: (s) => `heal ${s.fault}`,
  async run(ctx, s) {
    await ctx.faults.heal(s.fault);
  },
};
