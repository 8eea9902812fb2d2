import { z } from 'zod';
import { durationMs } from '../core/duration.ts';
import type { FaultKind } from './fault.ts';
import { sessionsOf, sessionsParam } from './browser-sessions.ts';

const params = z.strictObject({
  sessions: sessionsParam,
  /** How long the tab idles, on the scenario clock (the run does not wait). */
  for: z
    .string()
    .regex(/^\d+[smh]$/, 'a duration such as 45m or 1h')
    .default('1h'),
});

/**
 * A background tab idles for an hour of scenario clock and resumes: the deployer's cleanup sees
 * the hour pass (SKEW_NOW), the tab still runs the build it loaded an hour earlier.
 */
export const browserIdle: FaultKind<z.infer<typeof params>> = {
  name: 'browser-idle',
  area: 'browser',
  description:
    "The sessions' tabs sit idle while the scenario clock moves on (default an hour): a cleanup that runs meanwhile sees the time pass. When they resume, the build they loaded an hour ago must still have its chunks.",
  params,
  label: (p) => `${p.sessions?.join(', ') ?? 'every open session'} idle for ${p.for} (scenario clock)`,
  async inject(ctx, p) {
    sessionsOf(ctx, p.sessions); // names checked now, not at resume
    ctx.history.advanceClock(durationMs(p.for));
    return async () => {};
  },
};
