import { z } from 'zod';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('click'),
  session: z.string().min(1),
  /** data-testid of the control. */
  target: z.string().min(1),
  /** data-testid of what the click must show. */
  expect: z.string().min(1),
});
export type ClickStep = z.infer<typeof schema>;

/** The user clicks a control of the page (not a link) and waits for what it shows. */
export const click: StepKind<ClickStep> = {
  kind: 'click',
  schema,
  label: (s) => `${s.session}: click ${s.target}`,
  run: async (ctx, s) => void (await sessionOf(ctx, s.session).act('click', s.target, s.expect)),
};
