import { z } from 'zod';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('waitFor'),
  session: z.string().min(1),
  /** data-testid of what the page shows by itself. */
  expect: z.string().min(1),
});
export type WaitForStep = z.infer<typeof schema>;

/** The user waits for what the page brings by itself (fresh data after it refreshed on load). */
export const waitFor: StepKind<WaitForStep> = {
  kind: 'waitFor',
  schema,
  label: (s) => `${s.session}: wait for ${s.expect}`,
  run: async (ctx, s) => void (await sessionOf(ctx, s.session).waitFor(s.expect)),
};
