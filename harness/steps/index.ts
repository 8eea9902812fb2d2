import { advanceClock } from './advance-clock.ts';
import { cleanup } from './cleanup.ts';
import { click } from './click.ts';
import { createRevision } from './create-revision.ts';
import { deploy } from './deploy.ts';
import { fetchRoute } from './fetch-route.ts';
import { heal } from './heal.ts';
import { inject } from './inject.ts';
import { lazyLoad } from './lazy-load.ts';
import { navigate } from './navigate.ts';
import { openSession } from './open-session.ts';
import { openStaleSession } from './open-stale-session.ts';
import { prefetch } from './prefetch.ts';
import { probeAssets } from './probe-assets.ts';
import { probe } from './probe.ts';
import { probePublic } from './probe-public.ts';
import { probeSplit } from './probe-split.ts';
import { refresh } from './refresh.ts';
import { reload } from './reload.ts';
import { resumeRollout } from './resume-rollout.ts';
import { renderDynamic } from './render-dynamic.ts';
import { rollback } from './rollback.ts';
import { serverAction } from './server-action.ts';
import { split } from './split.ts';
import { visit } from './visit.ts';
import { waitFor } from './wait-for.ts';
import type { Capability } from '../faults/fault.ts';
import type { StepKind } from './step.ts';

/** Every step kind by name. A new kind is one file and one line here. */
export const STEP_KINDS = [
  deploy,
  rollback,
  resumeRollout,
  cleanup,
  advanceClock,
  split,
  createRevision,
  openSession,
  openStaleSession,
  lazyLoad,
  renderDynamic,
  navigate,
  prefetch,
  visit,
  reload,
  serverAction,
  refresh,
  fetchRoute,
  click,
  waitFor,
  probe,
  probeAssets,
  probePublic,
  probeSplit,
  inject,
  heal,
] as const;

export type Step = Parameters<(typeof STEP_KINDS)[number]['run']>[1];

export function stepKind(kind: string): StepKind<{ kind: string }> | undefined {
  return (STEP_KINDS as unknown as readonly StepKind<{ kind: string }>[]).find((k) => k.kind === kind);
}

/** What a run must start for these steps (e.g. the fault layer an injected origin fault acts in). */
export function needsOf(steps: readonly Step[]): Set<Capability> {
  return new Set(steps.flatMap((s) => stepKind(s.kind)?.needs?.(s) ?? []));
}
