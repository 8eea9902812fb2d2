import { z } from 'zod';
import { pauseField, pauseLabel, runDeployer } from './deploy.ts';
import type { StepKind } from './step.ts';

const schema = z.object({ kind: z.literal('rollback'), version: z.string().min(1), ...pauseField });
export type RollbackStep = z.infer<typeof schema>;

/** Runs the deployer's `rollback` to an earlier version. */
export const rollback: StepKind<RollbackStep> = {
  kind: 'rollback',
  schema,
  label: (s) => `roll back to ${s.version}${pauseLabel(s)}`,
  run: (ctx, s) => runDeployer(ctx, 'rollback', s.version, s.pauseMidRollout ? { pauseMidRollout: true } : {}),
};
