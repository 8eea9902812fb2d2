import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { originRefuse } from './origin-refuse.ts';

const params = z.strictObject({ ms: z.number().int().min(100).max(120_000).default(3_000) });

/**
 * A slow start under a process manager that does not wait for readiness (pm2 without
 * wait_ready): the reload returns, but each new origin listens only `ms` later.
 */
export const originSlowStart: FaultKind<z.infer<typeof params>> = {
  name: 'origin-slow-start',
  area: 'origin',
  needs: ['faultLayer'],
  description:
    'Each new origin starts listening only `ms` after the reload returned (a process manager that does not wait for readiness). A deployer must wait until the new release answers through the edge before it purges; one that purges at once sends visitors 502s.',
  params,
  label: (p) => `new origins listen ${p.ms} ms after the reload`,
  inject: (ctx, p) => originRefuse.inject(ctx, { target: 'new', forMs: p.ms }),
};
