import type { Build, Bundler } from '../builds/types.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import type { DeploymentIdMode, World } from '../core/scenario.ts';
import { ofType, type Stamped } from '../core/history.ts';
import type { LoadReport } from '../core/load-report.ts';
import { type CheckResult, combine, type Verdict } from '../core/verdict.ts';
import type { Deployer } from '../deployers/deployer.ts';
import { nothingLive } from './nothing-live.ts';
import type { Phase } from './profile.ts';

/** A run's verdict: its checks' one, or `interrupted` (a signal stopped it; nothing judged). */
export type RunVerdict = Verdict | 'interrupted';

/** The report of one scenario run. Versioned: fields are added, never renamed. */
export interface ScenarioReport {
  schemaVersion: 1;
  scenario: string;
  title: string;
  deployer: string;
  deployerReference: 'good' | 'broken' | 'external';
  /**
   * The deployer's part in this scenario's references, in this world and mode: the one that must
   * pass, one whose users recover, one that must fail, or none (a user's own).
   */
  deployerRole?: 'good' | 'recovering' | 'broken' | 'not a reference';
  /** What explains the whole run at once, shown before the checks (e.g. a deployer that deployed nothing). */
  headline?: string;
  /** Where the world makes the scenario impossible to pass for any deployer: why (the scenario's `limit`). */
  limit?: string;
  cdn: CdnKind;
  /** The world the stack was built as (absent in reports from before worlds: pinned). */
  world?: World;
  /** How the versions were built: with a deployment id (`on`) or without (`off`); absent: on. */
  deploymentIdMode?: DeploymentIdMode;
  bundler: Bundler;
  /** The checks' combined verdict, or `interrupted` when a signal stopped the run before its last step. */
  verdict: RunVerdict;
  /**
   * How the deployer was confined: a command's sandbox mode (bubblewrap, or the fingerprint
   * where it cannot run), or a module's trust (it runs in the harness process).
   */
  deployerSandbox?: string;
  /** Set when a signal stopped the run: in which phase, after how many of its steps. */
  interrupted?: { signal: string; phase: string; stepsDone: number; steps: number };
  checks: CheckResult[];
  versions: Record<string, { buildId: string; deploymentId: string; cached: boolean; buildMs: number }>;
  startedAt: string;
  durationMs: number;
  /**
   * Where the wall time went, phase by phase in order: the builds, the stack's start, each step,
   * the judging, the evidence, the teardown (`skew run` prints it with `--profile`).
   */
  profile?: Phase[];
  /** Where the evidence is: scenario.json, history.jsonl, report.json, logs/, rerun.sh. */
  runDir: string;
  /** The exact command that reruns this scenario the same way. */
  rerun: string;
  /** The seed of every random choice the faults made (`--seed` repeats them). */
  seed?: number;
  /** With `--load N`: what the HTTP clients saw (errors by kind, latency percentiles per phase). */
  load?: LoadReport;
  /** With `--control`: the A→A control's verdicts (a check it fails too is inconclusive above). */
  control?: { verdict: RunVerdict; runDir: string; checks: { check: string; verdict: Verdict }[] };
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
  /** Steps left out because they do not apply to this app, while the scenario was still judged. */
  notApplicable: string[];
  /** Its builds carry no deployment id: why, what that costs its users, and the setting to add. */
  withoutDeploymentId?: { why: string; costs: string; fix: string };
}

/** The report's view of each build. */
export function versionsOf(builds: Record<string, Build>): ScenarioReport['versions'] {
  return Object.fromEntries(
    Object.entries(builds).map(([v, b]) => [
      v,
      { buildId: b.buildId, deploymentId: b.deploymentId, schema: b.schema ?? 1, cached: b.cached, buildMs: b.buildMs },
    ]),
  );
}

/** What a report is made of: who ran what, where, and the judged checks. */
export interface ReportInput {
  scenario: string;
  title: string;
  deployer: Pick<Deployer, 'name' | 'reference'>;
  deployerRole?: ScenarioReport['deployerRole'];
  limit?: string | undefined;
  cdn: CdnKind;
  world: World;
  bundler: Bundler;
  builds: Record<string, Build>;
  checks: CheckResult[];
  events: readonly Stamped[];
  startedAt: Date;
  runDir: string;
  rerun: string;
  seed?: number | undefined;
  app?: AppReport | undefined;
  traces?: Record<string, string> | undefined;
}

/**
 * The report of a run: the checks' combined verdict, the builds, the load the history holds.
 * Assembled here only, for scenario runs and for Playwright tests alike.
 */
export function reportOf(a: ReportInput): ScenarioReport {
  const load = ofType(a.events, 'load').at(-1)?.report;
  const headline = nothingLive(a.events);
  return {
    schemaVersion: 1,
    scenario: a.scenario,
    title: a.title,
    deployer: a.deployer.name,
    deployerReference: a.deployer.reference,
    ...(a.deployerRole ? { deployerRole: a.deployerRole } : {}),
    ...(headline ? { headline } : {}),
    ...(a.limit ? { limit: a.limit } : {}),
    cdn: a.cdn,
    world: a.world,
    deploymentIdMode: Object.values(a.builds).some((b) => b.withDeploymentId === false) ? 'off' : 'on',
    bundler: a.bundler,
    verdict: combine(a.checks.map((c) => c.verdict)),
    checks: a.checks,
    versions: versionsOf(a.builds),
    startedAt: a.startedAt.toISOString(),
    durationMs: Date.now() - a.startedAt.getTime(),
    runDir: a.runDir,
    // The same seed makes the same fault choices: the rerun carries it.
    rerun: !a.rerun || a.seed === undefined || a.rerun.includes('--seed') ? a.rerun : `${a.rerun} --seed ${a.seed}`,
    ...(a.seed !== undefined ? { seed: a.seed } : {}),
    ...(a.app ? { app: a.app } : {}),
    ...(a.traces && Object.keys(a.traces).length ? { traces: a.traces } : {}),
    ...(load ? { load } : {}),
  };
}

/** How a report names its deployer's part: its role in the scenario's references where known. */
export function deployerPart(r: Pick<ScenarioReport, 'deployerReference' | 'deployerRole'>): string {
  if (!r.deployerRole) return r.deployerReference;
  return r.deployerRole === 'not a reference'
    ? `${r.deployerReference}, not a reference of this scenario`
    : `${r.deployerRole} reference here`;
}
