import { ofType, type Stamped } from '../core/history.ts';

/** One phase of a run and its wall time: where a scenario's time went. */
export interface Phase {
  phase: string;
  ms: number;
}

/**
 * Times a run's phases in order (`mark` ends the phase running since the last mark). The steps'
 * own times come from the history (`stepPhases`), so the profile and the evidence agree.
 */
export class PhaseTimer {
  readonly phases: Phase[] = [];
  private last: number;

  constructor(private readonly now: () => number = Date.now) {
    this.last = now();
  }

  /**
   * Ends the phase running since the previous mark, named `phase`. Phases measured inside it
   * (the steps) come first, and `phase` keeps only the rest of the time.
   */
  mark(phase: string, inner: readonly Phase[] = []): void {
    const t = this.now();
    const rest = t - this.last - inner.reduce((a, p) => a + p.ms, 0);
    this.phases.push(...inner);
    if (!inner.length || rest > 0) this.phases.push({ phase, ms: Math.max(0, rest) });
    this.last = t;
  }
}

/** Each step's wall time, from its start to its end in the history; a step that never ended runs to the last event. */
export function stepPhases(events: readonly Stamped[]): Phase[] {
  const steps = ofType(events, 'step');
  const lastT = events.at(-1)?.t ?? 0;
  const out: Phase[] = [];
  for (const s of steps) {
    if (s.phase !== 'start') continue;
    const end = steps.find((e) => e.phase === 'end' && e.index === s.index && e.t >= s.t);
    out.push({ phase: `step ${s.index + 1}: ${s.label}`, ms: (end?.t ?? lastT) - s.t });
  }
  return out;
}

/** The profile as a person reads it: each phase, its time and share, the largest marked. */
export function formatProfile(phases: readonly Phase[]): string[] {
  const total = phases.reduce((a, p) => a + p.ms, 0) || 1;
  return phases.map((p) => `${(p.ms / 1000).toFixed(2).padStart(6)} s ${`${Math.round((p.ms / total) * 100)}`.padStart(3)} %  ${p.phase}`);
}
