import { z } from 'zod';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('visit'),
  session: z.string().min(1),
  /** URL path to navigate to client-side (basePath included). */
  path: z.string().startsWith('/'),
});
export type VisitStep = z.infer<typeof schema>;

/**
 * The user moves to another page client-side, as a Link without prefetch does: on any app,
 * without knowing its markup. Skew shows as a failed route or lazy chunk, or a hard reload.
 */
export const visit: StepKind<VisitStep> = {
  kind: 'visit',
  schema,
  label: (s) => `${s.session}: go to ${s.path} (client-side)`,
  run: async (ctx, s) => void (await sessionOf(ctx, s.session).visit(s.path, Object.values(ctx.builds)[0]?.app?.basePath ?? '')),
};
