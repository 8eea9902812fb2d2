import { z } from 'zod';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({ kind: z.literal('refresh'), session: z.string().min(1) });
export type RefreshStep = z.infer<typeof schema>;

/**
 * The user clicks a button that calls `router.refresh()`: the tab asks the server to render the
 * current page again (an RSC request) and merges it in place. Awaits a render newer than the
 * one shown (the page's `rendered-at`).
 */
export const refresh: StepKind<RefreshStep> = {
  kind: 'refresh',
  schema,
  label: (s) => `${s.session}: router.refresh()`,
  run: async (ctx, s) => {
    const session = sessionOf(ctx, s.session);
    const before = (await session.attribute('rendered-at', 'datetime')) ?? '';
    await session.act('refresh', 'refresh', {
      selector: `[data-testid="rendered-at"]:not([datetime="${before}"])`,
      what: 'a new render of the page ([data-testid="rendered-at"] changed)',
    });
  },
};
