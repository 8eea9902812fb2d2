import { MAX_SESSIONS } from '../core/scenario.ts';

/** The steps that open a session: its name is new there (and a stale one copies `from`). */
const OPENS = new Set(['openSession', 'openStaleSession']);

/**
 * Every session a step uses must be opened by an earlier step, and a name opened once: checked
 * when the scenario is read, before any build or stack starts (at run time it was a failed step
 * minutes in). At most MAX_SESSIONS sessions: each is a browser context.
 */
export function sessionOrderProblems(steps: readonly { kind: string }[]): string[] {
  const problems: string[] = [];
  const open = new Set<string>();
  steps.forEach((step, i) => {
    const { session, from } = step as { session?: unknown; from?: unknown };
    if (typeof session !== 'string') return;
    if (OPENS.has(step.kind)) {
      if (step.kind === 'openStaleSession' && typeof from === 'string' && !open.has(from))
        problems.push(`steps[${i}] (${step.kind}): copies session "${from}", which no earlier step opens`);
      if (open.has(session)) problems.push(`steps[${i}] (${step.kind}): session "${session}" is already open (name each session once)`);
      open.add(session);
    } else if (!open.has(session)) {
      problems.push(
        `steps[${i}] (${step.kind}): session "${session}" is not opened by an earlier step (${open.size ? `open: ${[...open].join(', ')}` : 'none is open yet'})`,
      );
    }
  });
  if (open.size > MAX_SESSIONS) problems.push(`steps: ${open.size} sessions, at most ${MAX_SESSIONS} (each is a browser context)`);
  return problems;
}
