import { z } from 'zod';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('prefetch'),
  session: z.string().min(1),
  /** data-testid of a link with Next's default prefetch. */
  link: z.string().min(1),
  /** `reveal`: open what shows the link; `scroll`: bring it into view; `hover`: point at it. */
  how: z.enum(['reveal', 'scroll', 'hover']),
});
export type PrefetchStep = z.infer<typeof schema>;

/**
 * The user comes near a link with Next's default prefetch, and Next fetches the route ahead of
 * the click. A prefetch before a deploy hides skew on that route (the click needs no server);
 * one after it asks the server, which may be another build's.
 */
export const prefetch: StepKind<PrefetchStep> = {
  kind: 'prefetch',
  schema,
  label: (s) => `${s.session}: ${s.how} ${s.link} (prefetch)`,
  run: async (ctx, s) => void (await sessionOf(ctx, s.session).prefetch(s.link, s.how)),
};
