import type { PurgeFaultAction } from '../cdn/cloudflare/purge-api.ts';

/**
 * A purge fault that hits the next `requests` valid purge requests (0: every request until
 * healed), then lets them through, as a rate limit whose bucket refills or an outage that ends.
 */
export function firstRequests<const A = PurgeFaultAction>(requests: number, action: () => A): () => A | undefined {
  let hit = 0;
  return () => (requests === 0 || hit++ < requests ? action() : undefined);
}

/** "every request", "1 request", "3 requests". */
export function requestsLabel(n: number, noun = 'request'): string {
  return n === 0 ? `every ${noun}` : `${n} ${noun}${n === 1 ? '' : 's'}`;
}
