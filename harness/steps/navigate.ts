import { z } from 'zod';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('navigate'),
  session: z.string().min(1),
  /** data-testid of the link to click (the fixture's links use prefetch={false}). */
  link: z.string().min(1),
  /** data-testid that the destination page shows. */
  expect: z.string().min(1),
});
export type NavigateStep = z.infer<typeof schema>;

/** The user follows a client-side link; skew shows as a failed route chunk or a hard reload. */
export const navigate: StepKind<NavigateStep> = {
  kind: 'navigate',
  schema,
  label: (s) => `${s.session}: follow ${s.link}`,
  run: async (ctx, s) => void (await sessionOf(ctx, s.session).act('navigate', s.link, s.expect)),
};
