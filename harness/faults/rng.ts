import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Seeded randomness for faults: the same `--seed` gives the same choices, run after run. */
export interface Rng {
  readonly seed: number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability p (0–1). */
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  const gen = xoroshiro128plus(seed);
  const int = (min: number, max: number) => uniformInt(gen, min, max);
  return { seed, int, chance: (p) => int(0, 999_999) < Math.round(p * 1_000_000) };
}

/** A fresh seed when none was given (printed in the report, so the run can be repeated). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
