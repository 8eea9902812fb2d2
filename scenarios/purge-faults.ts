import type { Scenario } from '../harness/scenario/parse.ts';
import { faultDuringDeployOfB, PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

/**
 * The purge API misbehaves during the deploy of B (harness/faults/purge-*.ts). The document's
 * deploy purges the HTML after the reload; when that purge is rate-limited, fails, hangs or lands
 * late, a deployer must retry and verify — or the edge keeps serving A's HTML to new visitors.
 * Each scenario: A live and cached, the fault injected, B deployed, new visitors, then healed.
 */
function purgeFault(name: string, fault: string, params: Record<string, unknown>, title: string, what: string, fails: string[]): Scenario {
  return {
    name,
    title,
    description: `A is live and its HTML cached at the edge. During the deploy of B the purge API ${what}. The deployer must retry (and verify the purge landed) before it reports success; new visitors must get B.`,
    source:
      'rollback-nextjs-static-assets: "Step 4 — Purge HTML Entry Points from CDN", FAQ "How do I confirm the CDN actually served the purge"; issue 7 (purge API faults)',
    versions: ['A', 'B'],
    worlds: PINNED_AND_SINGLE_ORIGIN,
    steps: faultDuringDeployOfB(fault, params),
    checks: ['purges-confirmed', 'cache-status', 'new-sessions-current', 'no-chunk-load-error'],
    reference: { good: 'releases-symlink', broken: [{ deployer: 'purge-fire-and-forget', fails }] },
  };
}

export const purgeFaults: Scenario[] = [
  purgeFault(
    'purge-rate-limited',
    'purge-rate-limit',
    { requests: 2, retryAfterS: 1 },
    'The purge API rate-limits the deploy (429, code 971)',
    "answers the first two purges with 429 (Cloudflare's code 971, Retry-After 1)",
    ['purges-confirmed', 'cache-status', 'new-sessions-current'],
  ),
  purgeFault(
    'purge-server-error',
    'purge-server-error',
    { requests: 2, status: 502 },
    'The purge API fails with a 502 page',
    "answers the first two purges with Cloudflare's 502 HTML page",
    ['purges-confirmed', 'cache-status', 'new-sessions-current'],
  ),
  purgeFault(
    'purge-timeout',
    'purge-timeout',
    { requests: 1, holdMs: 12_000 },
    'The purge API does not answer',
    'holds the first purge 12 s without an answer (then a 504 page), purging nothing',
    ['purges-confirmed', 'cache-status', 'new-sessions-current'],
  ),
  purgeFault(
    'purge-late',
    'purge-late',
    { delayMs: 8_000 },
    'The purge API accepts but applies 8 s late',
    'answers success at once but evicts only 8 s later',
    ['cache-status'],
  ),
];

/**
 * Two edge locations; the purge reaches `iad` 6 s late. The rollback document: "A lingering
 * Age: 847 with HIT means propagation is still in progress or the purge did not target that
 * PoP" — a deployer must verify at every location, not only the one it can see.
 */
export const purgeSomeLocations: Scenario = {
  name: 'purge-some-locations',
  title: 'The purge reaches one of two edge locations 6 s late',
  description:
    "Two edge locations (fra, iad), each with its own cache, both holding A's HTML. B is deployed and its HTML purge reaches fra at once but iad only 6 s later. The deployer must verify the purge at every location before it reports success; new visitors at both locations must get B.",
  source:
    'rollback-nextjs-static-assets: FAQ "How do I confirm the CDN actually served the purge" (a lingering HIT with Age: the purge did not reach that PoP); issue 7 (multiple edge locations)',
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  locations: ['fra', 'iad'],
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'probe', label: 'html-after-A', paths: ['/', '/'], location: 'each' },
    { kind: 'openSession', session: 'app-a', path: '/', location: 'fra' },
    { kind: 'inject', fault: 'purge-partial', params: { locations: ['iad'], delayMs: 6_000 } },
    { kind: 'deploy', version: 'B' },
    { kind: 'probe', label: 'html-after-B', paths: ['/', '/'], location: 'each' },
    { kind: 'openSession', session: 'new-fra', path: '/', location: 'fra' },
    { kind: 'openSession', session: 'new-iad', path: '/', location: 'iad' },
    { kind: 'lazyLoad', session: 'app-a' },
    { kind: 'heal', fault: 'purge-partial' },
  ],
  checks: ['cache-status', 'new-sessions-current', 'no-chunk-load-error'],
  reference: { good: 'releases-symlink', broken: [{ deployer: 'purge-fire-and-forget', fails: ['cache-status', 'new-sessions-current'] }] },
};
