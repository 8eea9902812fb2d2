import { type EventOf, ofType, type Stamped } from '../core/history.ts';
import type { World } from '../core/scenario.ts';
import type { CheckResult } from '../core/verdict.ts';

/** What every check sees: the recorded history and the versions' ids. Nothing else. */
export interface CheckInput {
  events: readonly Stamped[];
  /** Version letter → ids of its build. */
  versions: Record<
    string,
    { buildId: string; deploymentId: string; schema?: number; assets?: string[]; withoutDeploymentId?: true; nextMajor?: number }
  >;
  /** The scenario's deployerOptions (e.g. assetRetention), for checks that judge against them. */
  deployerOptions?: Record<string, string>;
}

export interface Check {
  name: string;
  /** What it verifies, in one line, for `skew list` and reports. */
  description: string;
  /** What to change in the deploy strategy when it fails (for `skew explain` and reports). */
  fix: string;
  /**
   * What it means in a world where that differs (docs/worlds.md); a world not named here judges
   * exactly what `description` says.
   */
  worlds?: Partial<Record<World, string>>;
  judge(input: CheckInput): Omit<CheckResult, 'check'>;
}

/** Evidence lists stay readable: the first `n` lines and a count of the rest. */
export function capped(lines: string[], n = 12): string[] {
  return lines.length <= n ? lines : [...lines.slice(0, n), `… and ${lines.length - n} more`];
}

export function versionOf(input: CheckInput, deploymentId: string | null | undefined): string {
  const hit = Object.entries(input.versions).find(([, v]) => v.deploymentId === deploymentId);
  return hit ? hit[0] : (deploymentId ?? '?');
}

export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

/** The scenario step that was running at time `t` (for "which step broke it"). */
export function stepAt(events: readonly Stamped[], t: number): string | undefined {
  let label: string | undefined;
  for (const e of events) {
    if (e.t > t) break;
    if (e.type === 'step' && e.phase === 'start') label = `step ${e.index + 1} (${e.label})`;
  }
  return label;
}

/**
 * When a user action ran: from the start of the step it ran in (or, without step events, its
 * own wait before it was recorded) to its record. What a session saw in between is the action's.
 */
export function actionWindow(events: readonly Stamped[], a: Stamped & { waitedMs: number }): { from: number; to: number } {
  let from = a.t - a.waitedMs;
  for (const e of events) {
    if (e.t > a.t) break;
    if (e.type === 'step' && e.phase === 'start') from = e.t;
  }
  return { from, to: a.t };
}

/**
 * The document loads no step asked for (hard reloads), by user action: one step of one session.
 * One load is Next's recovery from skew; more for one action is a reload loop.
 */
export function reloadsByAction(events: readonly Stamped[]): { session: string; step: string; loads: EventOf<'hard-reload'>[] }[] {
  const byAction = new Map<string, { session: string; step: string; loads: EventOf<'hard-reload'>[] }>();
  for (const r of ofType(events, 'hard-reload')) {
    const step = stepAt(events, r.t) ?? r.during;
    const key = `${r.session}\u0000${step}`;
    const group = byAction.get(key) ?? { session: r.session, step, loads: [] };
    group.loads.push(r);
    byAction.set(key, group);
  }
  return [...byAction.values()];
}
