import { z } from 'zod';
import { clickForResult } from './counted-result.ts';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('serverAction'),
  session: z.string().min(1),
  /**
   * How the tab calls it: `form`, a form's action through useActionState; `button`, a click
   * handler awaiting the action; `redirect`, a form whose action ends in redirect('/about').
   */
  via: z.enum(['form', 'button', 'redirect']),
});
export type ServerActionStep = z.infer<typeof schema>;

/**
 * The user calls one of the page's Server Actions (the fixture's /actions page). The request
 * names the action by the id its build gave it; a server of another build does not know it
 * ("Failed to find Server Action"), or, when ids match across builds, answers with its own code.
 * The result shows the build that ran it and a count one above the last, which the step awaits.
 */
export const serverAction: StepKind<ServerActionStep> = {
  kind: 'serverAction',
  schema,
  label: (s) => `${s.session}: Server Action (${s.via})`,
  run: async (ctx, s) => {
    const session = sessionOf(ctx, s.session);
    if (s.via === 'redirect') return void (await session.act('serverAction:redirect', 'action-redirect', 'page-about'));
    await clickForResult(session, `serverAction:${s.via}`, `action-${s.via}`, `action-${s.via}-result`);
  },
};
