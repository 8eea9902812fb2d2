import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { HarnessError } from '../errors/harness-error.ts';

const params = z.strictObject({
  /** The locations the purge is slow to reach (default: every location but the first). */
  locations: z.array(z.string().min(1)).min(1).optional(),
  /** How late it reaches them (0: never). */
  delayMs: z.number().int().min(0).max(600_000).default(0),
});

/**
 * A purge the API accepted that reaches some edge locations late or not at all: the rollback
 * document's "lingering HIT with Age means the purge did not reach that location".
 */
export const purgePartial: FaultKind<z.infer<typeof params>> = {
  name: 'purge-partial',
  area: 'purge-api',
  description:
    'An accepted purge reaches the given edge locations only `delayMs` later, or never (0). A deployer must verify the purge at every location (a HIT with an Age reaching back before the purge means it has not landed there) and wait or purge again.',
  params,
  label: (p) => `purges reach ${p.locations?.join(', ') ?? 'all but the first location'} ${p.delayMs ? `${p.delayMs} ms late` : 'never'}`,
  async inject(ctx, p) {
    const all = ctx.stack.locations;
    const slow = new Set(p.locations ?? all.slice(1));
    for (const l of slow)
      if (!all.includes(l))
        throw new HarnessError(
          'INVALID_SCENARIO',
          `purge-partial: no edge location "${l}" (the scenario's: ${all.join(', ')})`,
          "name locations from the scenario's `locations`",
        );
    if (!slow.size)
      throw new HarnessError(
        'INVALID_SCENARIO',
        'purge-partial needs a scenario with two or more edge locations',
        'give the scenario `locations: [...]` with at least two names (fra, iad)',
      );
    ctx.stack.purgeReach = (l) => (slow.has(l) ? (p.delayMs ? { delayMs: p.delayMs } : 'never') : 'now');
    return async () => {
      ctx.stack.purgeReach = () => 'now';
      await ctx.stack.flushLatePurges();
    };
  },
};
