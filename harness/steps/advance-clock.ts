import { z } from 'zod';
import { durationMs } from '../core/duration.ts';
import type { StepKind } from './step.ts';

const schema = z.object({ kind: z.literal('advanceClock'), by: z.string().regex(/^\d+[smh]$/, 'a duration such as 90s, 14m or 1h') });
export type AdvanceClockStep = z.infer<typeof schema>;

/**
 * "Fourteen minutes later": moves the scenario clock without waiting. Deployers see it as
 * `now` / SKEW_NOW and checks as each event's `c`. nginx's cache and the browser keep real
 * time: the clock is for retention decisions (what a cleanup may delete), not for TTLs.
 */
export const advanceClock: StepKind<AdvanceClockStep> = {
  kind: 'advanceClock',
  schema,
  label: (s) => `${s.by} later (scenario clock)`,
  async run(ctx, s) {
    ctx.history.advanceClock(durationMs(s.by));
  },
};
