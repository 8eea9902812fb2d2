import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { onOrigins, originTarget } from './origin-target.ts';

const params = z.strictObject({ target: originTarget.default('all'), ms: z.number().int().min(1).max(60_000).default(1_000) });

/** Every connection from the edge to the targeted origins waits `ms` first: a slow or overloaded origin. */
export const originLatency: FaultKind<z.infer<typeof params>> = {
  name: 'origin-latency',
  area: 'origin',
  needs: ['faultLayer'],
  description:
    'Each connection from the edge to the targeted origins waits `ms` before it reaches them. Health checks and purge verification must allow for it; pages and data requests get slower, never wrong.',
  params,
  label: (p) => `origins (${p.target}) answer ${p.ms} ms late`,
  async inject(ctx, p) {
    return onOrigins(
      ctx,
      p.target,
      (o) => o.layer.set({ kind: 'latency', ms: p.ms }),
      (o) => o.layer.set({ kind: 'pass' }),
    );
  },
};
