import type { Bundler } from '../builds/types.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import type { CheckResult, Verdict } from '../core/verdict.ts';

/** The report of one scenario run. Versioned: fields are added, never renamed. */
export interface ScenarioReport {
  schemaVersion: 1;
  scenario: string;
  title: string;
  deployer: string;
  deployerReference: 'good' | 'broken' | 'external';
  cdn: CdnKind;
  bundler: Bundler;
  verdict: Verdict;
  checks: CheckResult[];
  versions: Record<string, { buildId: string; deploymentId: string; cached: boolean; buildMs: number }>;
  startedAt: string;
  durationMs: number;
  /** Where the evidence is: scenario.json, history.jsonl, report.json, logs/, rerun.sh. */
  runDir: string;
  /** The exact command that reruns this scenario the same way. */
  rerun: string;
  /** The seed of every random choice the faults made (`--seed` repeats them). */
  seed?: number;
  /** With `--load N`: what the HTTP clients saw (errors by kind, latency percentiles per phase). */
  load?: import('../load/load.ts').LoadReport;
  /** With `--control`: the A→A control's verdicts (a check it fails too is inconclusive above). */
  control?: { verdict: Verdict; runDir: string; checks: { check: string; verdict: Verdict }[] };
  /** Set when the run was against a user's app (`--app`): what it was and how it was covered. */
  app?: AppReport;
  /**
   * Playwright traces of the sessions that saw trouble, by session, relative to `runDir`
   * (`npx playwright show-trace <runDir>/<path>`).
   */
  traces?: Record<string, string>;
}

export interface AppReport {
  name: string;
  dir: string;
  nextVersion: string;
  packageManager: string;
  /** Pages found in the build, and those that lazy-load chunks after load. */
  pages: string[];
  lazyPages: string[];
  /** Which app page stood in for each fixture page and link. */
  mapping: string[];
  /** What the app lacks for this scenario (each makes the scenario inconclusive). */
  gaps: string[];
}
