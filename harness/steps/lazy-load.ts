import { z } from 'zod';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({ kind: z.literal('lazyLoad'), session: z.string().min(1) });
export type LazyLoadStep = z.infer<typeof schema>;

/** The user clicks the button whose handler does `import()` of a lazy chunk. */
export const lazyLoad: StepKind<LazyLoadStep> = {
  kind: 'lazyLoad',
  schema,
  label: (s) => `${s.session}: lazy import()`,
  run: async (ctx, s) => void (await sessionOf(ctx, s.session).act('lazyLoad', 'lazy-button', 'lazy-result')),
};
