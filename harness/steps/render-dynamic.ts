import { z } from 'zod';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({ kind: z.literal('renderDynamic'), session: z.string().min(1) });
export type RenderDynamicStep = z.infer<typeof schema>;

/** The user reveals a `next/dynamic` component (its JS and CSS chunks load only now). */
export const renderDynamic: StepKind<RenderDynamicStep> = {
  kind: 'renderDynamic',
  schema,
  label: (s) => `${s.session}: render next/dynamic`,
  run: async (ctx, s) => void (await sessionOf(ctx, s.session).act('renderDynamic', 'dynamic-button', 'dynamic-result')),
};
