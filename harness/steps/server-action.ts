import { z } from 'zod';
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
    const result = `action-${s.via}-result`;
    const next = Number((await session.attribute(result, 'data-skew-count')) ?? 0) + 1;
    await session.act(`serverAction:${s.via}`, `action-${s.via}`, {
      selector: `[data-testid="${result}"][data-skew-count="${next}"]`,
      what: `the action's result #${next} ([data-testid="${result}"])`,
    });
  },
};
