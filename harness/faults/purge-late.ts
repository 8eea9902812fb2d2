import { z } from 'zod';
import { healSignal, untilHealedOr, type FaultKind } from './fault.ts';
import { firstRequests, requestsLabel } from './purge-budget.ts';

const params = z.strictObject({
  requests: z.number().int().min(0).default(0),
  /** How long after the 200 the eviction really happens (healing applies it at once). */
  delayMs: z.number().int().min(100).max(600_000).default(6_000),
});

/**
 * Accepted but applied late: the API says success, the edge keeps serving the old copy for a
 * while. The rollback document's check (`CF-Cache-Status: MISS`, `Age: 0` right after the
 * purge) catches it; a deployer that trusts the 200 sends new visitors the old HTML.
 */
export const purgeLate: FaultKind<z.infer<typeof params>> = {
  name: 'purge-late',
  area: 'purge-api',
  description:
    'The purge API answers success at once but the edge evicts only later. A deployer must verify (a HIT with a growing Age means the purge has not landed) and wait or purge again; one that trusts the 200 sends new visitors the old HTML.',
  params,
  label: (p) => `purge API applies ${requestsLabel(p.requests, 'purge')} ${p.delayMs} ms late`,
  async inject(ctx, p) {
    const { healed, heal } = healSignal();
    const pending: Promise<void>[] = [];
    ctx.purgeApi.setPurgeFault(
      firstRequests(p.requests, () => ({
        kind: 'late',
        applyAfter: () => untilHealedOr(p.delayMs, healed),
        describe: `${p.delayMs} ms late`,
        fault: 'purge-late',
        track: (applied) => void pending.push(applied),
      })),
    );
    return async () => {
      ctx.purgeApi.setPurgeFault(undefined);
      heal(); // pending evictions happen now: the run ends healed
      await Promise.all(pending);
    };
  },
};
