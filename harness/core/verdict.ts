import type { Stamped } from './history.ts';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface CheckResult {
  check: string;
  verdict: Verdict;
  /** One line per fact that led to the verdict: what, where, which session, which URL. */
  evidence: string[];
  /**
   * A failed check's witness: a few events of the history that alone make the check fail the
   * same way (harness/core/witness.ts), with how many the whole history had.
   */
  witness?: { events: Stamped[]; of: number; minimal: boolean };
}

const RANK: Record<Verdict, number> = { pass: 0, inconclusive: 1, fail: 2 };

/** fail beats inconclusive beats pass; nothing to judge is inconclusive. */
export function combine(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 0) return 'inconclusive';
  return verdicts.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'pass' as Verdict);
}
