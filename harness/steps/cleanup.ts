import { z } from 'zod';
import { ofType } from '../core/history.ts';
import { runDeployer } from './deploy.ts';
import type { StepKind } from './step.ts';
import { HarnessError } from '../errors/harness-error.ts';

const schema = z.object({ kind: z.literal('cleanup') });
export type CleanupStep = z.infer<typeof schema>;

/**
 * The deployer's delayed cleanup (its cron job, or the next pipeline's garbage collection),
 * run at the scenario clock's current time, with the live version as its version.
 */
export const cleanup: StepKind<CleanupStep> = {
  kind: 'cleanup',
  schema,
  label: () => 'cleanup',
  run(ctx) {
    const live = ofType(ctx.history.events, 'deployer')
      .filter((d) => d.ok && d.action !== 'cleanup')
      .at(-1);
    if (!live) throw new HarnessError('INVALID_SCENARIO', 'cleanup before any deploy', 'put a deploy step before the cleanup');
    return runDeployer(ctx, 'cleanup', live.version);
  },
};
