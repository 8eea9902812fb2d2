export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface CheckResult {
  check: string;
  verdict: Verdict;
  /** One line per fact that led to the verdict: what, where, which session, which URL. */
  evidence: string[];
}

const RANK: Record<Verdict, number> = { pass: 0, inconclusive: 1, fail: 2 };

/** fail beats inconclusive beats pass; nothing to judge is inconclusive. */
export function combine(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 0) return 'inconclusive';
  return verdicts.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'pass' as Verdict);
}
