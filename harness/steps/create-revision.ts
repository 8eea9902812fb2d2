import { z } from 'zod';
import { buildOf, type StepKind } from './step.ts';
import { HarnessError } from '../errors/harness-error.ts';

const schema = z.object({
  kind: z.literal('createRevision'),
  version: z.string().min(1),
  /** The labels it gets; `{}` is a revision someone made by hand, without the operator's build-id label. */
  labels: z.record(z.string(), z.string()),
});
export type CreateRevisionStep = z.infer<typeof schema>;

/**
 * A revision created outside the deployer (by hand, or by another tool) for a version's build,
 * with exactly the labels given. It gets no traffic until a `split` step gives it some.
 */
export const createRevision: StepKind<CreateRevisionStep> = {
  kind: 'createRevision',
  schema,
  label: (s) => `create a revision of ${s.version} labelled ${JSON.stringify(s.labels)}`,
  async run(ctx, s) {
    const platform = ctx.stack.platform;
    if (!platform)
      throw new HarnessError('INVALID_SCENARIO', 'createRevision needs the platform stack', 'set platform: true in the scenario');
    const r = platform.createRevision({ deploymentId: buildOf(ctx, s.version).deploymentId, labels: s.labels });
    ctx.history.append({ type: 'revision', name: r.name, deploymentId: r.deploymentId, labels: r.labels });
    await ctx.stack.reconcile();
  },
};
