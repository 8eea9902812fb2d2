import { z } from 'zod';
import { HarnessError } from '../errors/harness-error.ts';
import type { FaultKind } from './fault.ts';
import { firstRequests, requestsLabel } from './purge-budget.ts';

const params = z.strictObject({
  /** How many traffic reads fail (0: every read until healed). */
  requests: z.number().int().min(0).default(0),
  status: z.union([z.literal(500), z.literal(503), z.literal(504)]).default(503),
});

/**
 * The platform's API server cannot answer a traffic read (`GET …/status`): a GC that needs the
 * live set does not have it. The skew-protection document's GC skips itself; one that takes the
 * failure for "no traffic" deletes what live revisions serve.
 */
export const platformApiError: FaultKind<z.infer<typeof params>> = {
  name: 'platform-api-error',
  area: 'platform',
  description:
    "The platform API answers a traffic read (GET /platform/status) with the API server's own error (a Kubernetes Status: 503 ServiceUnavailable, 500, or 504 Timeout). A GC must then skip itself: the live set is unknown, not empty.",
  params,
  label: (p) => `platform API answers ${p.status} to ${requestsLabel(p.requests, 'traffic read')}`,
  async inject(ctx, p) {
    if (!ctx.platformApi.platformUrl)
      throw new HarnessError(
        'INVALID_SCENARIO',
        'platform-api-error needs the platform (no platform API in this run)',
        'inject it in a scenario with platform: true',
      );
    ctx.platformApi.setPlatformFault(firstRequests(p.requests, () => ({ status: p.status, fault: 'platform-api-error' })));
    return async () => ctx.platformApi.setPlatformFault(undefined);
  },
};
