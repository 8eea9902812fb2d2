import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { firstRequests, requestsLabel } from './purge-budget.ts';

const params = z.strictObject({
  requests: z.number().int().min(0).default(2),
  status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(502),
});

/** The API behind Cloudflare's edge fails: an HTML 5xx page instead of JSON. Retry; never assume it purged. */
export const purgeServerError: FaultKind<z.infer<typeof params>> = {
  name: 'purge-server-error',
  area: 'purge-api',
  description:
    "The purge API fails with a 5xx HTML page from Cloudflare's edge (not the JSON envelope). Nothing was purged: a deployer must retry, and must not parse the page as success.",
  params,
  label: (p) => `purge API answers ${p.status} to ${requestsLabel(p.requests)}`,
  async inject(ctx, p) {
    ctx.purgeApi.setPurgeFault(firstRequests(p.requests, () => ({ kind: 'server-error', status: p.status, fault: 'purge-server-error' })));
    return async () => ctx.purgeApi.setPurgeFault(undefined);
  },
};
