import { z } from 'zod';

/**
 * A Kubernetes Deployment's rolling-update strategy, in pods: how many run (`replicas`), how
 * many may run above that while the rollout starts new ones (`maxSurge`), and how many may be
 * missing while it stops old ones (`maxUnavailable`). The rolling world's default keeps two pods
 * of each build behind the Service at once: the mixed window scenarios act in.
 */
export const rolloutStrategy = z
  .strictObject({
    replicas: z.number().int().min(1).max(6).default(2),
    maxSurge: z.number().int().min(0).max(6).default(2),
    maxUnavailable: z.number().int().min(0).max(6).default(0),
  })
  // As in Kubernetes, maxUnavailable may reach replicas (an outage the checks then show).
  .refine((s) => s.maxSurge + s.maxUnavailable > 0, 'maxSurge and maxUnavailable cannot both be 0 (the rollout could never move)');
export type RolloutStrategy = z.infer<typeof rolloutStrategy>;
export const DEFAULT_ROLLOUT: RolloutStrategy = { replicas: 2, maxSurge: 2, maxUnavailable: 0 };
