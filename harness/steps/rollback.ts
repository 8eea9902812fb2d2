import { z } from 'zod';
import { pauseField, runDeployer } from './deploy.ts';
import type { StepKind } from './step.ts';

const schema = z.object({ kind: z.literal('rollback'), version: z.string().min(1), ...pauseField });
export type RollbackStep = z.infer<typeof schema>;

/** Runs the deployer's `rollback` to an earlier version. */
export const rollback: StepKind<RollbackStep> = {
  kind: 'rollback',
  schema,
  // The hold is the rolling world's only (the step's log says so): the label stays the same in every world.
  label: (s) => `roll back to ${s.version}`,
  run: (ctx, s) => runDeployer(ctx, 'rollback', s.version, s.pauseMidRollout ? { pauseMidRollout: true } : {}),
};
