import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { sessionsOf, sessionsParam } from './browser-sessions.ts';

const params = z.strictObject({ sessions: sessionsParam });

/** The tab loses its network (a train tunnel, a closed laptop lid) and gets it back at heal. */
export const browserOffline: FaultKind<z.infer<typeof params>> = {
  name: 'browser-offline',
  area: 'browser',
  description:
    "The sessions' browsers go offline (every request fails at once) and come back online at heal, with the page and its build still in memory. Whatever the deploy did meanwhile, their next lazy chunk or navigation must still work.",
  params,
  label: (p) => `${p.sessions?.join(', ') ?? 'every open session'} offline`,
  async inject(ctx, p) {
    const sessions = sessionsOf(ctx, p.sessions);
    for (const s of sessions) await s.setOffline(true);
    return async () => {
      for (const s of sessions) await s.setOffline(false);
    };
  },
};
