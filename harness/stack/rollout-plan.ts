import type { RolloutStrategy } from '../core/rollout-strategy.ts';

/** One move of a rollout and the pods of each ReplicaSet once it is done. */
export interface RolloutMove {
  /** `new`: start pods of the new build (they join the Service once they answer); `old`: take old ones out and stop them. */
  scale: 'new' | 'old';
  old: number;
  new: number;
}

/**
 * The moves of a rolling update from `oldPods` pods of the old build to `replicas` of the new,
 * as the Deployment controller makes them: scale the new ReplicaSet up as far as `maxSurge`
 * allows, then the old one down as far as `maxUnavailable` allows (new pods count once they
 * answer), until only new pods run. Pure: the rolling world plays the moves with real processes.
 */
export function rolloutPlan(strategy: RolloutStrategy, oldPods: number): RolloutMove[] {
  const { replicas, maxSurge, maxUnavailable } = strategy;
  const moves: RolloutMove[] = [];
  let o = oldPods;
  let n = 0;
  // Each pass moves at least one pod (the schema refuses a strategy that cannot), so this bounds the loop.
  for (let pass = 0; (n < replicas || o > 0) && pass <= 2 * (replicas + oldPods) + 2; pass++) {
    const up = Math.min(replicas, replicas + maxSurge - o);
    if (up > n) {
      n = up;
      moves.push({ scale: 'new', old: o, new: n });
    }
    const down = Math.min(o, Math.max(0, o + n - (replicas - maxUnavailable)));
    if (down > 0) {
      o -= down;
      moves.push({ scale: 'old', old: o, new: n });
    }
  }
  if (n < replicas || o > 0) throw new Error(`rollout cannot finish: ${JSON.stringify(strategy)} from ${oldPods} old pod(s)`);
  return moves;
}
