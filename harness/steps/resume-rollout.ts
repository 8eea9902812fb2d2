import { z } from 'zod';
import type { StepKind } from './step.ts';

const schema = z.object({ kind: z.literal('resumeRollout') });
export type ResumeRolloutStep = z.infer<typeof schema>;

/**
 * `kubectl rollout resume`: the rollout a `pauseMidRollout` deploy or rollback held goes on, and
 * the step ends when the deployer's action has (a failure is that action's). Where nothing is
 * held (other worlds switch at once, or the rollout never mixed two builds) it does nothing.
 */
export const resumeRollout: StepKind<ResumeRolloutStep> = {
  kind: 'resumeRollout',
  schema,
  label: () => 'resume the rollout',
  async run(ctx) {
    const held = ctx.duringDeploy.held;
    if (!held) return ctx.log('  no rollout is held: nothing to resume');
    await held.resume();
  },
};

/** Steps that change what is deployed: none may come while a rollout is held. */
const CHANGES = new Set(['deploy', 'rollback', 'cleanup', 'split', 'createRevision']);

/**
 * Scenario mistakes around a held rollout, found before anything starts: a held deploy or
 * rollback needs its `resumeRollout` before the next change, and a `resumeRollout` needs one to resume.
 */
export function heldRolloutProblems(steps: readonly { kind: string }[]): string[] {
  const problems: string[] = [];
  let held: number | undefined;
  steps.forEach((s, i) => {
    const pauses = (s as { pauseMidRollout?: boolean }).pauseMidRollout === true;
    if (CHANGES.has(s.kind) && held !== undefined)
      problems.push(`steps[${i}] (${s.kind}): comes while the rollout of steps[${held}] is held; put a resumeRollout step before it`);
    if (s.kind === 'resumeRollout') {
      if (held === undefined)
        problems.push(`steps[${i}] (resumeRollout): no deploy or rollback before it holds its rollout (pauseMidRollout)`);
      held = undefined;
    }
    if (pauses) held = i;
  });
  if (held !== undefined) problems.push(`steps[${held}] (${steps[held]!.kind}): holds its rollout, and no resumeRollout step follows`);
  return problems;
}
