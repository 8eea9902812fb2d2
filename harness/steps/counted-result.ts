import type { Session } from '../browser/session.ts';

/**
 * Clicks `button` and waits for the result it produces: `[data-testid=<result>]` with a
 * `data-skew-count` one above the last (the fixture counts each answer), so a result already on
 * the page from an earlier click does not pass for the new one.
 */
export async function clickForResult(session: Session, action: string, button: string, result: string): Promise<void> {
  const next = Number((await session.attribute(result, 'data-skew-count')) ?? 0) + 1;
  await session.act(action, button, {
    selector: `[data-testid="${result}"][data-skew-count="${next}"]`,
    what: `answer #${next} ([data-testid="${result}"])`,
  });
}
