import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLLOUT, rolloutStrategy } from '../core/rollout-strategy.ts';
import { type RolloutMove, rolloutPlan } from './rollout-plan.ts';

/** The first move after which pods of both builds serve (where a scenario may hold the rollout). */
const firstMixed = (moves: readonly RolloutMove[]) => moves.findIndex((m) => m.old > 0 && m.new > 0);

const states = (moves: ReturnType<typeof rolloutPlan>) => moves.map((m) => `${m.old}+${m.new}`);

describe('rolloutPlan', () => {
  it('default: two new pods join the two old ones, then the old ones go (2 of each build serve at once)', () => {
    const moves = rolloutPlan(DEFAULT_ROLLOUT, 2);
    expect(states(moves)).toEqual(['2+2', '0+2']);
    expect(moves.map((m) => m.scale)).toEqual(['new', 'old']);
    expect(firstMixed(moves)).toBe(0);
  });

  it("Kubernetes' 25 % defaults on 4 replicas (maxSurge 1, maxUnavailable 1) move pod by pod, never below 3 serving", () => {
    const moves = rolloutPlan({ replicas: 4, maxSurge: 1, maxUnavailable: 1 }, 4);
    expect(states(moves)).toEqual(['4+1', '2+1', '2+3', '0+3', '0+4']);
    for (const m of moves) {
      expect(m.old + m.new).toBeLessThanOrEqual(5);
      expect(m.old + m.new).toBeGreaterThanOrEqual(3);
    }
  });

  it('maxSurge 0 stops an old pod before it starts a new one', () => {
    expect(states(rolloutPlan({ replicas: 2, maxSurge: 0, maxUnavailable: 1 }, 2))).toEqual(['1+0', '1+1', '0+1', '0+2']);
  });

  it('the first deploy starts every pod at once, and nothing is ever mixed', () => {
    const moves = rolloutPlan(DEFAULT_ROLLOUT, 0);
    expect(states(moves)).toEqual(['0+2']);
    expect(firstMixed(moves)).toBe(-1);
  });

  it('ends with exactly the replicas of the new build, whatever the strategy', () => {
    for (let replicas = 1; replicas <= 6; replicas++)
      for (let maxSurge = 0; maxSurge <= 3; maxSurge++)
        for (let maxUnavailable = 0; maxUnavailable <= replicas; maxUnavailable++) {
          if (maxSurge + maxUnavailable === 0) continue;
          const s = { replicas, maxSurge, maxUnavailable };
          const last = rolloutPlan(s, replicas).at(-1)!;
          expect(last, JSON.stringify(s)).toEqual({ scale: expect.any(String), old: 0, new: replicas });
        }
  });
});

describe('rolloutStrategy', () => {
  it('defaults to 2 replicas, maxSurge 2, maxUnavailable 0', () => {
    expect(rolloutStrategy.parse({})).toEqual(DEFAULT_ROLLOUT);
  });

  it('refuses a strategy that could never move', () => {
    expect(rolloutStrategy.safeParse({ maxSurge: 0, maxUnavailable: 0 }).success).toBe(false);
    expect(rolloutStrategy.safeParse({ replicas: 0 }).success).toBe(false);
    expect(rolloutStrategy.safeParse({ replicas: 2, extra: 1 }).success).toBe(false);
  });
});
