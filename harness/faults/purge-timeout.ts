import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { firstRequests, requestsLabel } from './purge-budget.ts';

const params = z.strictObject({
  requests: z.number().int().min(0).default(1),
  /** How long the API keeps a request without an answer (the client may give up sooner). */
  holdMs: z.number().int().min(100).max(120_000).default(20_000),
});

/** The purge API does not answer: a deployer needs its own timeout, then a retry. */
export const purgeTimeout: FaultKind<z.infer<typeof params>> = {
  name: 'purge-timeout',
  area: 'purge-api',
  description:
    'The purge API holds the request without an answer, then gives a 504 page; nothing is purged. A deployer must time out (curl --max-time), retry, and not report success.',
  params,
  label: (p) => `purge API hangs ${p.holdMs} ms on ${requestsLabel(p.requests)}`,
  async inject(ctx, p) {
    ctx.purgeApi.setPurgeFault(firstRequests(p.requests, () => ({ kind: 'timeout', holdMs: p.holdMs, fault: 'purge-timeout' })));
    return async () => ctx.purgeApi.setPurgeFault(undefined);
  },
};
