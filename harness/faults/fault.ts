import type { z } from 'zod';
import type { StepContext } from '../steps/step.ts';

/** Undoes an injected fault. Idempotent: healing twice is healing once. */
export type Heal = () => Promise<void>;

export type FaultArea = 'purge-api' | 'origin' | 'storage' | 'edge' | 'browser';

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
  label(p: P): string;
  inject(ctx: StepContext, p: P): Promise<Heal>;
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
export function recordHit(ctx: StepContext, fault: string, label: string): void {
  ctx.history.append({ type: 'fault', fault, id: fault, area: faultArea(fault), phase: 'hit', label });
}
