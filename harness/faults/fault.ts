import type { z } from 'zod';
import type { Session } from '../browser/session.ts';
import type { Build } from '../builds/types.ts';
import type { History } from '../core/history.ts';
import type { ActionHandle } from '../deployers/deployer.ts';
import type { ControlPlane } from '../stack/control-plane.ts';
import type { Stack } from '../stack/stack.ts';
import type { Rng } from './rng.ts';

/** Undoes an injected fault. Idempotent: healing twice is healing once. */
export type Heal = () => Promise<void>;

export type FaultArea = 'purge-api' | 'origin' | 'storage' | 'edge' | 'browser' | 'platform';

/**
 * What a run starts only when a scenario asks for it, because it changes the world for every
 * other scenario: `faultLayer`, a relay between the edge and each origin (origin faults act in
 * it); `bfcache`, a browser that keeps pages in its back/forward cache (Playwright turns it off).
 * A fault declares what it needs; the run reads that from the scenario before anything starts.
 */
export type Capability = 'faultLayer' | 'bfcache';

/**
 * Watches one deployer action from its start (storage faults): gets the deploy root and the
 * action's handle (pause, resume, kill); returns what ends the watch when the action ends.
 */
export type DeployerWatch = (root: string, action: ActionHandle) => () => void;

/**
 * What a fault may touch, and nothing more (Toxiproxy's toxics see one pipe): the parts of the
 * stack it disturbs, the purge API, the open sessions, the deployer's next actions, the history
 * it records its hits in, and the run's seeded randomness.
 */
export interface FaultContext {
  history: Pick<History, 'append' | 'advanceClock'>;
  /** Builds by version letter (a fault aimed at version B finds its deployment id and files). */
  builds: Readonly<Record<string, Build>>;
  stack: Pick<Stack, 'locations' | 'edgeAt' | 'purgeReach' | 'flushLatePurges' | 'liveOrigins' | 'originStarted' | 'restartOrigin'>;
  /** The Cloudflare-shaped purge API: a fault decides how it answers. */
  purgeApi: Pick<ControlPlane, 'setPurgeFault'>;
  /** The platform API (platform scenarios): a fault decides how its traffic reads answer. */
  platformApi: Pick<ControlPlane, 'setPlatformFault' | 'platformUrl'>;
  /** The open browser sessions by name. */
  sessions: ReadonlyMap<string, Session>;
  /** Watches each next deployer action until the returned function stops it. */
  watchDeployer(watch: DeployerWatch): () => void;
  /** The run's seeded randomness: the only source a fault may draw from. */
  rng: Rng;
  /** What this run started (see Capability): a fault needing more cannot be injected. */
  capabilities: ReadonlySet<Capability>;
}

/**
 * One way the world misbehaves, as an inject/heal pair with typed parameters. A scenario injects
 * it with an `inject` step and heals it with `heal`; whatever is still injected when the run ends
 * is healed then (every run ends healed). Randomness comes only from `ctx.rng` (the run's seed).
 */
export interface FaultKind<P extends object = object> {
  name: string;
  area: FaultArea;
  /** What it simulates and what a deployer must do about it. */
  description: string;
  params: z.ZodType<P>;
  /** What the run must start for it (default none). */
  needs?: readonly Capability[];
  label(p: P): string;
  inject(ctx: FaultContext, p: P): Promise<Heal>;
}

/** Resolves after `ms`, or at once when `healed` settles first: a bounded wait a heal can cut short. */
export function untilHealedOr(ms: number, healed: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((r) => (timer = setTimeout(r, ms))), healed]).finally(() => clearTimeout(timer));
}

/** A promise resolved by the heal: for faults that hold something until they are healed. */
export function healSignal(): { healed: Promise<void>; heal(): void } {
  let heal!: () => void;
  const healed = new Promise<void>((r) => (heal = r));
  return { healed, heal };
}

/** The area a fault's name places it in (origin-kill → origin, storage-kill-after → storage). */
function faultArea(fault: string): string {
  return fault.split('-')[0]!;
}

/** Records what a fault did to a request or process (history `fault` event, phase `hit`). */
export function recordHit(ctx: Pick<FaultContext, 'history'>, fault: string, label: string): void {
  ctx.history.append({ type: 'fault', fault, id: fault, area: faultArea(fault), phase: 'hit', label });
}
