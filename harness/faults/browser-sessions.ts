import { z } from 'zod';
import type { Session } from '../browser/session.ts';
import type { FaultContext } from './fault.ts';
import { HarnessError } from '../errors/harness-error.ts';

/** The open sessions a browser fault acts on, by name (every open one when none is named). */
export const sessionsParam = z.array(z.string().min(1)).min(1).optional();

export function sessionsOf(ctx: Pick<FaultContext, 'sessions'>, names: string[] | undefined): Session[] {
  if (!names) return [...ctx.sessions.values()];
  return names.map((n) => {
    const s = ctx.sessions.get(n);
    if (!s)
      throw new HarnessError(
        'INVALID_SCENARIO',
        `no open session named "${n}" (open: ${[...ctx.sessions.keys()].join(', ') || 'none'})`,
        'name sessions an openSession step opened before this fault, or leave `sessions` out for every open one',
      );
    return s;
  });
}
