import { z } from 'zod';
import { recordTraffic } from '../stack/traffic.ts';
import { buildOf, type StepKind } from './step.ts';
import { HarnessError } from '../errors/harness-error.ts';

const schema = z.object({
  kind: z.literal('split'),
  /** New visitors by version (each version's newest revision); whole percents adding up to 100. */
  traffic: z.array(z.object({ version: z.string().min(1), percent: z.number().int().min(0).max(100) })).min(1),
});
export type SplitStep = z.infer<typeof schema>;

/**
 * The operator changes the traffic table (platform mode): a canary step (10 → 50 → 100 %), or
 * a rollback canary that sends a share back to an old revision. Pinned clients are unaffected.
 */
export const split: StepKind<SplitStep> = {
  kind: 'split',
  schema,
  label: (s) => `split ${s.traffic.map((t) => `${t.version} ${t.percent} %`).join(', ')}`,
  async run(ctx, s) {
    const platform = ctx.stack.platform;
    if (!platform) throw new HarnessError('INVALID_SCENARIO', 'split needs the platform stack', 'set platform: true in the scenario');
    const table = s.traffic.map((t) => {
      const rev = platform.revisionOf(buildOf(ctx, t.version).deploymentId);
      if (!rev)
        throw new HarnessError('INVALID_SCENARIO', `version ${t.version} has no revision yet`, 'deploy it before splitting traffic to it');
      return { revisionName: rev.name, percent: t.percent };
    });
    platform.setTraffic(table);
    recordTraffic(ctx.history, platform, 'split step');
    await ctx.stack.reconcile();
  },
};
