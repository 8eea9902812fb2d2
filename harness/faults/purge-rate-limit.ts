import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { firstRequests, requestsLabel } from './purge-budget.ts';

const params = z.strictObject({
  /** How many purge requests get the 429 (0: all until healed). */
  requests: z.number().int().min(0).default(2),
  retryAfterS: z.number().int().min(1).max(60).default(1),
});

/** Cloudflare's purge rate limit: 429, code 971, Retry-After. A deployer must back off and retry. */
export const purgeRateLimit: FaultKind<z.infer<typeof params>> = {
  name: 'purge-rate-limit',
  area: 'purge-api',
  description:
    "The purge API answers 429 with Cloudflare's rate-limit error (code 971) and Retry-After. A deployer must wait Retry-After and retry; one that ignores the failure leaves the old HTML cached.",
  params,
  label: (p) => `purge API rate-limits ${requestsLabel(p.requests)} (429, Retry-After ${p.retryAfterS} s)`,
  async inject(ctx, p) {
    ctx.purgeApi.setPurgeFault(
      firstRequests(p.requests, () => ({ kind: 'rate-limit', retryAfterS: p.retryAfterS, fault: 'purge-rate-limit' })),
    );
    return async () => ctx.purgeApi.setPurgeFault(undefined);
  },
};
