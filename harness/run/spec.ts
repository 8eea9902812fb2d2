import { DEFAULT_TIMEOUTS, type SessionTimeouts } from '../browser/session.ts';
import type { EdgeRules } from '../cdn/edge.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import type { RolloutStrategy } from '../core/rollout-strategy.ts';
import type { World } from '../core/scenario.ts';
import type { Capability } from '../faults/fault.ts';
import { randomSeed } from '../faults/rng.ts';

/**
 * The knobs a user turns for the world a run builds: from `skew run` (flags, `SKEW_*`, the config
 * file), `runScenario` and the Playwright options alike. Spelled here once; every layer below
 * gets them inside a StackSpec.
 */
export interface StackKnobs {
  /** nginx as a local process, or in a container (testcontainers). */
  cdn: CdnKind;
  /** The world the stack is built as: per-release servers routed by deployment id, one server behind the team's nginx, or rolling pods. */
  world: World;
  /** Container image for `cdn: 'container'` (default from SKEW_NGINX_IMAGE). */
  image?: string;
  headless: boolean;
  /**
   * Playwright traces of the sessions: `failing` records each session and keeps the traces of
   * those that saw trouble; `off` records none.
   */
  traces: 'failing' | 'off';
  timeouts: SessionTimeouts;
  /** How long one deployer action may take before it is killed (the run is then inconclusive). */
  deployerTimeoutMs: number;
}

/** How long one deployer action may take by default: the one place the 120 s is written. */
export const DEFAULT_DEPLOYER_TIMEOUT_MS = 120_000;

export const DEFAULT_KNOBS: StackKnobs = {
  cdn: 'process',
  world: 'pinned',
  headless: true,
  traces: 'failing',
  timeouts: DEFAULT_TIMEOUTS,
  deployerTimeoutMs: DEFAULT_DEPLOYER_TIMEOUT_MS,
};

/** The knobs as a caller gives them: any may be left out (its default applies), timeouts one by one. */
export type KnobsInput = Partial<Omit<StackKnobs, 'timeouts'>> & { timeouts?: Partial<SessionTimeouts> | undefined };

/** What a scenario (or a Playwright project's options) asks of the world. */
export interface WorldRequest {
  edge?: EdgeRules | undefined;
  locations?: string[] | undefined;
  platform?: boolean | undefined;
  /** What its steps need started (harness/steps/index.ts `needsOf`). */
  needs?: Iterable<Capability>;
  /** The rolling world's Deployment strategy (default DEFAULT_ROLLOUT). */
  rollout?: RolloutStrategy | undefined;
}

/**
 * Everything that shapes the stack, the browser and the deployer's limits in one run: derived
 * once from the user's knobs and the scenario, then passed down unchanged (Rig, Stack, browser).
 */
export interface StackSpec extends StackKnobs {
  /** The scenario's edge cache rules. */
  edge?: EdgeRules;
  /** Edge locations (PoPs), the first is the default; one (`edge`) when unset. */
  locations?: string[];
  /** The skew-protection platform (revisions behind a traffic split) instead of a release store. */
  platform: boolean;
  needs: ReadonlySet<Capability>;
  /** The rolling world's Deployment strategy; the stack's default when unset. */
  rollout?: RolloutStrategy;
  /** Seeds every random choice of the faults. */
  seed: number;
}

export function stackSpec(knobs: KnobsInput, world: WorldRequest = {}, seed: number = randomSeed()): StackSpec {
  const set = Object.fromEntries(Object.entries(knobs).filter(([, v]) => v !== undefined)) as Partial<StackKnobs>;
  return {
    ...DEFAULT_KNOBS,
    ...set,
    timeouts: { ...DEFAULT_TIMEOUTS, ...knobs.timeouts },
    ...(world.edge ? { edge: world.edge } : {}),
    ...(world.locations?.length ? { locations: world.locations } : {}),
    platform: world.platform === true,
    ...(world.rollout ? { rollout: world.rollout } : {}),
    needs: new Set(world.needs ?? []),
    seed,
  };
}
