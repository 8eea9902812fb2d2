import { z } from 'zod';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({ kind: z.literal('reload'), session: z.string().min(1) });
export type ReloadStep = z.infer<typeof schema>;

/** The user presses reload: the browser asks the edge for the HTML again. */
export const reload: StepKind<ReloadStep> = {
  kind: 'reload',
  schema,
  label: (s) => `${s.session}: reload`,
  async run(ctx, s) {
    const session = sessionOf(ctx, s.session);
    await session.reload();
    ctx.history.append({
      type: 'session-open',
      session: s.session,
      url: session.page.url(),
      version: await session.version(),
      deploymentId: await session.deploymentId(),
    });
  },
};
