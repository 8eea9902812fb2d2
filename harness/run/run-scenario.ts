import { mkdir, rm, symlink, writeFile, rename } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { getBuild } from '../builds/build-cache.ts';
import type { Build, Bundler } from '../builds/types.ts';
import type { SessionTimeouts } from '../browser/session.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import { History, ofType } from '../core/history.ts';
import type { Scenario } from '../core/scenario.ts';
import { combine, type CheckResult } from '../core/verdict.ts';
import type { Deployer } from '../deployers/deployer.ts';
import { loadDeployer } from '../deployers/load.ts';
import { isHarnessError } from '../errors/harness-error.ts';
import { onCleanup } from '../io/cleanup.ts';
import type { Stack } from '../stack/stack.ts';
import { stepKind } from '../steps/index.ts';
import { renderHtmlReport } from './html-report.ts';
import { toJUnit } from './junit.ts';
import type { AppReport, ScenarioReport } from './report.ts';
import { Rig } from './rig.ts';
import { Load } from '../load/load.ts';
import { runWithControl } from './control-run.ts';
import { randomSeed } from '../faults/rng.ts';
import { faultKind } from '../faults/index.ts';
import { runChecks, versionsOf } from './run-checks.ts';
import type { AppProject } from '../app/project.ts';
import { getAppBuild, type BundlerChoice } from '../app/app-build.ts';
import { discoverApp } from '../app/discover.ts';
import { adaptScenario, notApplicable, skewableFiles } from '../app/adapt.ts';

export interface RunOptions {
  scenario: Scenario;
  /** A user's Next.js project to run the scenario against instead of the fixture (`--app`). */
  app?: AppProject;
  deployer: Deployer | string;
  /** `auto` (the default for an app): what the app's build script or Next version uses. */
  bundler?: BundlerChoice;
  cdn?: CdnKind;
  /** Where `runs/<time>-<scenario>/` go. Default `<cwd>/runs`. */
  runsDir?: string;
  buildsDir?: string;
  /** Container image for `cdn: 'container'`. */
  image?: string;
  headless?: boolean;
  timeouts?: Partial<SessionTimeouts>;
  /** Progress lines (builds, steps); the CLI prints them, tests may ignore them. */
  log?: (line: string) => void;
  /** The command line that reruns this, for the report. */
  rerun?: string;
  /** How long one deployer action may take before it is killed (run inconclusive). */
  deployerTimeoutMs?: number;
  /**
   * Playwright traces of the sessions: `failing` (default) records each session and keeps the
   * trace of those that saw trouble (`traces/` in the run directory, linked from the report);
   * `off` records none.
   */
  traces?: 'failing' | 'off';
  /** Seeds every random choice of the faults; printed in the report (default: a fresh one). */
  seed?: number;
  /**
   * Run the A→A control beside the scenario (harness/run/control-run.ts): every version is the
   * first version's build, deployed again. A failure the control shows too is noise.
   */
  control?: boolean;
  /**
   * N concurrent HTTP clients (harness/load/) through every deploy and rollback after the first:
   * tabs on the old build fetching its files, visitors fetching the new HTML and its files.
   */
  load?: number;
  /** Internal: this run is the control (every version uses the first version's build). */
  asControl?: boolean;
  /** Keep the stack's release copies after the run (they are removed on success by default). */
  keepStack?: boolean;
  /** Called before each step (e.g. `skew repro --step` waits for Enter). */
  beforeStep?: (index: number, label: string) => Promise<void>;
  /**
   * Called after the last step with the stack still up and the verdict so far (`skew repro
   * --keep`); the run tears down when it returns, or when the process is interrupted.
   */
  hold?: (up: HeldStack) => Promise<void>;
}

/** What `hold` gets: the stack as it stands after the last step. */
export interface HeldStack {
  report: ScenarioReport;
  runId: string;
  edgeUrl: string;
  /** Every edge location's URL by name (one entry unless the scenario has `locations`). */
  edgeUrls: Record<string, string>;
  /** Origin URL by deployment id. */
  origins: Record<string, string>;
  deployRoot: string;
  platformUrl?: string;
}

/**
 * Runs one scenario end to end — builds, a fresh stack, a browser, every step recorded — then
 * tears everything down and judges the history with the scenario's checks. Always writes the
 * run's evidence directory, also when a step failed.
 */
export async function runScenario(opts: RunOptions): Promise<ScenarioReport> {
  if (opts.control) return runWithControl(opts, runScenario);
  let { scenario } = opts;
  // Under load, the clients' errors are judged too.
  if (opts.load && !scenario.checks.includes('load-errors')) scenario = { ...scenario, checks: [...scenario.checks, 'load-errors'] };
  const deployer = typeof opts.deployer === 'string' ? await loadDeployer(opts.deployer) : opts.deployer;
  let bundler: Bundler = opts.bundler === 'auto' || opts.bundler === undefined ? 'turbopack' : opts.bundler;
  const cdn = opts.cdn ?? 'process';
  const startedAt = new Date();
  const seed = opts.seed ?? randomSeed();
  // Progress lines carry the elapsed time: readable in CI logs, and they show where time goes.
  const log = (line: string) => opts.log?.(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(1).padStart(5)}s] ${line}`);
  const runId = `${stamp(startedAt)}-${scenario.name}${opts.asControl ? '-control' : ''}-${deployer.name}-${Math.random().toString(36).slice(2, 6)}`;
  const runsDir = resolve(opts.runsDir ?? 'runs');
  const runDir = join(runsDir, runId);
  await mkdir(join(runDir, 'logs'), { recursive: true });
  await writeFile(join(runDir, 'scenario.json'), JSON.stringify({ scenario, deployer: deployer.name, bundler, cdn }, null, 2));

  const builds: Record<string, Build> = {};
  let app: AppReport | undefined;
  const na = opts.app && notApplicable(scenario);
  if (opts.app && na) {
    // Not applicable: judged at once, nothing built or started.
    app = {
      name: opts.app.name,
      dir: opts.app.dir,
      nextVersion: opts.app.nextVersion,
      packageManager: opts.app.packageManager,
      pages: [],
      lazyPages: [],
      mapping: [],
      gaps: [na],
    };
    const report = judge({
      scenario: { ...scenario, checks: [] },
      deployer,
      cdn,
      bundler,
      builds,
      history: new History(),
      stepErrors: [],
      deployerFailure: undefined,
      startedAt,
      runDir,
      rerun: opts.rerun ?? '',
      app,
      traces: {},
      seed,
    });
    await writeEvidence(runsDir, runDir, new History(), report);
    return report;
  }
  for (const v of scenario.versions) {
    // The control deploys the first version's build again wherever the scenario names another.
    if (opts.asControl && v !== scenario.versions[0]) {
      builds[v] = builds[scenario.versions[0]!]!;
      log(`control: version ${v} is ${scenario.versions[0]}'s build again`);
      continue;
    }
    log(`build ${v}${opts.app ? ` of ${opts.app.name}` : ''} (${opts.app ? (opts.bundler ?? 'auto') : bundler})…`);
    // Build output is kept for errors (BUILD_FAILED shows its tail), not streamed: CI logs stay readable.
    const b = opts.app
      ? await getAppBuild({
          app: opts.app,
          variant: v,
          bundler: opts.bundler ?? 'auto',
          ...(opts.buildsDir ? { buildsDir: opts.buildsDir } : {}),
          log: () => {},
        })
      : await getBuild({
          variant: v,
          schema: scenario.schema?.[v] ?? 1,
          bundler,
          ...(opts.buildsDir ? { buildsDir: opts.buildsDir } : {}),
        });
    builds[v] = b;
    bundler = b.bundler;
    log(`build ${v}: ${b.cached ? 'cached' : `built in ${(b.buildMs / 1000).toFixed(1)} s`} (deployment ${b.deploymentId})`);
  }
  if (opts.app) {
    const first = builds[scenario.versions[0]!]!;
    const profile = await discoverApp(first, log);
    const adapted = adaptScenario(scenario, profile);
    const gaps = [...adapted.gaps];
    const [a, b] = scenario.versions.map((v) => builds[v]!);
    if (a && b && skewableFiles(a, b) === 0)
      gaps.push(
        `${scenario.versions[0]} and ${scenario.versions[1]} built identical client files (no client code of the app changed): nothing can skew on static assets`,
      );
    scenario = adapted.scenario;
    app = {
      name: opts.app.name,
      dir: opts.app.dir,
      nextVersion: opts.app.nextVersion,
      packageManager: opts.app.packageManager,
      pages: profile.routes.map((r) => `${r.path} (${r.router}, ${r.kind}: ${profile.visited[r.path] ?? 'not opened'})`),
      lazyPages: profile.lazy,
      mapping: adapted.mapping,
      gaps,
    };
    await writeFile(join(runDir, 'scenario.json'), JSON.stringify({ scenario, deployer: deployer.name, bundler, cdn, app }, null, 2));
    for (const g of gaps) log(`app: ${g}`);
  }

  let history = new History();
  const stepErrors: string[] = [];
  /** Set when the deployer under test failed, hung or escaped: nothing after it can be judged. */
  let deployerFailure: string[] | undefined;
  let rig: Rig | undefined;
  let load: Load | undefined;
  let traces: Record<string, string> = {};
  const teardown = async () => {
    await load?.stop().catch(() => {});
    load = undefined;
    const r = rig;
    rig = undefined;
    await r?.close();
  };
  const unregister = onCleanup(`run ${runId}`, teardown);
  let fatal: unknown;
  try {
    rig = await Rig.open({
      builds,
      deployer,
      cdn,
      dir: runDir,
      runId,
      log,
      traces: opts.traces !== 'off',
      seed,
      ...(opts.image ? { image: opts.image } : {}),
      ...(opts.headless !== undefined ? { headless: opts.headless } : {}),
      ...(opts.timeouts ? { timeouts: opts.timeouts } : {}),
      deployerTimeoutMs: opts.deployerTimeoutMs ?? 120_000,
      deployerOptions: scenario.deployerOptions ?? {},
      ...(scenario.edge ? { edge: scenario.edge } : {}),
      ...(scenario.platform ? { platform: true } : {}),
      // Origin faults act on the connections from the edge: only then is the fault layer put in between.
      ...(scenario.steps.some((s) => s.kind === 'inject' && faultKind(s.fault)?.area === 'origin') ? { faultLayer: true } : {}),
      ...(scenario.locations ? { locations: scenario.locations } : {}),
      // Only a scenario that goes back to a cached page lets Chromium keep one: the others run as before.
      ...(scenario.steps.some((s) => s.kind === 'inject' && s.fault === 'browser-bfcache') ? { bfcache: true } : {}),
    });
    history = rig.history;
    for (const [index, step] of scenario.steps.entries()) {
      const label = stepKind(step.kind)!.label(step as never);
      await opts.beforeStep?.(index, label);
      log(`step ${index + 1}/${scenario.steps.length}: ${label}`);
      const changes = step.kind === 'deploy' || step.kind === 'rollback';
      if (load && changes) load.setPhase(label);
      try {
        await rig.step(index, step);
        // Load starts once something is live, and runs to the end of the scenario.
        if (changes && opts.load && !load) {
          log(`load: ${opts.load} HTTP clients through the edge`);
          load = Load.start({ edgeUrl: rig.stack.url, clients: opts.load });
        }
        if (load && changes) load.setPhase(`after ${label}`);
      } catch (e) {
        const error = e instanceof Error ? e.message.split('\n')[0]! : String(e);
        // The rerun of an action a fault killed may fail: that is the finding, judged by the checks.
        if (isHarnessError(e) && e.code === 'DEPLOYER_FAILED' && isRerunOfInterrupted(history, step)) {
          log(`  the rerun of an interrupted action failed: ${error}`);
          continue;
        }
        stepErrors.push(`step ${index + 1} (${label}): ${error}`);
        if (isHarnessError(e) && e.code === 'DEPLOYER_FAILED')
          deployerFailure = [`step ${index + 1} (${label}): ${e.message}`, `hint: ${e.hint}`, ...e.details.map((d) => `  | ${d}`)];
        log(`  step failed: ${error}`);
        // A broken environment or a failed deploy leaves nothing meaningful to continue with;
        // a session that could not click still leaves the other sessions worth running.
        if (step.kind === 'deploy' || step.kind === 'rollback' || (isHarnessError(e) && e.kind === 'environment')) {
          if (isHarnessError(e) && e.kind === 'environment') fatal = e;
          break;
        }
      }
    }
    if (load) {
      const report = await load.stop();
      load = undefined;
      history.append({ type: 'load', report });
      log(`load: ${report.requests} requests, ${Object.values(report.errors).reduce((a, b) => a + (b ?? 0), 0)} errors`);
    }
    // Every run ends healed, and the heals are part of the history the checks judge.
    await rig.faults.healAll().catch((e: unknown) => stepErrors.push(`healing the faults: ${e instanceof Error ? e.message : String(e)}`));
    if (opts.hold && !fatal) {
      const s = rig.stack;
      const sofar = judge({
        scenario,
        deployer,
        cdn,
        bundler,
        builds,
        history,
        stepErrors,
        deployerFailure,
        startedAt,
        runDir,
        rerun: opts.rerun ?? '',
        app,
        traces: {},
        seed,
      });
      await opts.hold({
        report: sofar,
        runId,
        edgeUrl: s.url,
        edgeUrls: Object.fromEntries(s.locations.map((l) => [l, s.edgeAt(l).url])),
        origins: s.originUrls(),
        deployRoot: s.deployRoot,
        ...(rig.control.platformUrl ? { platformUrl: rig.control.platformUrl } : {}),
      });
    }
    // Traces are kept for the sessions that saw trouble; the others are dropped.
    traces = Object.fromEntries(Object.entries(await rig.closeSessions()).map(([k, v]) => [k, relative(runDir, v)]));
  } catch (e) {
    fatal = e;
  } finally {
    await writeLogs(runDir, rig?.stack);
    log('teardown…');
    await teardown();
    unregister();
    log('teardown done');
  }
  if (fatal && isHarnessError(fatal) && fatal.kind === 'environment') {
    await writeFile(join(runDir, 'history.jsonl'), history.toJSONL());
    throw fatal;
  }
  if (fatal) throw fatal;

  const report = judge({
    scenario,
    deployer,
    cdn,
    bundler,
    builds,
    history,
    stepErrors,
    deployerFailure,
    startedAt,
    runDir,
    app,
    traces,
    seed,
    rerun:
      opts.rerun ??
      `npx skew run ${scenario.name} --deployer ${deployer.name} --cdn ${cdn} --bundler ${bundler}${opts.app ? ` --app ${opts.app.dir}` : ''}`,
  });
  await writeEvidence(runsDir, runDir, history, report);
  if (!opts.keepStack) await rm(join(runDir, 'stack', 'deploy'), { recursive: true, force: true });
  return report;
}

function judge(a: {
  scenario: Scenario;
  deployer: Deployer;
  cdn: CdnKind;
  bundler: Bundler;
  builds: Record<string, Build>;
  history: History;
  stepErrors: string[];
  deployerFailure: string[] | undefined;
  startedAt: Date;
  runDir: string;
  rerun: string;
  app?: AppReport | undefined;
  traces: Record<string, string>;
  seed: number;
}): ScenarioReport {
  const versions = versionsOf(a.builds);
  // A scenario cut short by its deployer proves nothing either way: inconclusive, with the reason.
  const checks: CheckResult[] = a.deployerFailure
    ? [{ check: 'deployer', verdict: 'inconclusive', evidence: [...a.deployerFailure, `not judged: ${a.scenario.checks.join(', ')}`] }]
    : runChecks(a.scenario.checks, a.history.events, a.builds, a.scenario.deployerOptions ?? {});
  if (a.stepErrors.length && !a.deployerFailure) checks.push({ check: 'steps-completed', verdict: 'inconclusive', evidence: a.stepErrors });
  // On a user's app, what it lacks for the scenario is a finding of its own: never a silent pass.
  if (a.app)
    checks.push(
      a.app.gaps.length
        ? { check: 'app-coverage', verdict: 'inconclusive', evidence: a.app.gaps }
        : {
            check: 'app-coverage',
            verdict: 'pass',
            evidence: [`every step ran on the app's own pages: ${a.app.mapping.join('; ') || 'no page mapping needed'}`],
          },
    );
  return {
    schemaVersion: 1,
    scenario: a.scenario.name,
    title: a.scenario.title,
    deployer: a.deployer.name,
    deployerReference: a.deployer.reference,
    cdn: a.cdn,
    bundler: a.bundler,
    verdict: combine(checks.map((c) => c.verdict)),
    checks,
    versions,
    startedAt: a.startedAt.toISOString(),
    durationMs: Date.now() - a.startedAt.getTime(),
    runDir: a.runDir,
    // The same seed makes the same fault choices: the rerun carries it.
    rerun: !a.rerun || a.rerun.includes('--seed') ? a.rerun : `${a.rerun} --seed ${a.seed}`,
    seed: a.seed,
    ...(a.app ? { app: a.app } : {}),
    ...(Object.keys(a.traces).length ? { traces: a.traces } : {}),
    ...(ofType(a.history.events, 'load').length ? { load: ofType(a.history.events, 'load').at(-1)!.report } : {}),
  };
}

async function writeEvidence(runsDir: string, runDir: string, history: History, report: ScenarioReport): Promise<void> {
  await writeFile(join(runDir, 'history.jsonl'), history.toJSONL());
  await writeFile(join(runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(runDir, 'junit.xml'), toJUnit([report]));
  await writeFile(join(runDir, 'report.html'), renderHtmlReport(report, history.events));
  await writeFile(join(runDir, 'rerun.sh'), `#!/bin/sh\n# Reruns this scenario exactly as it ran.\n${report.rerun}\n`, { mode: 0o755 });
  // runs/latest → this run, replaced atomically.
  const tmp = join(runsDir, `.latest-${process.pid}`);
  await rm(tmp, { force: true });
  await symlink(runDir, tmp);
  await rename(tmp, join(runsDir, 'latest'));
}

async function writeLogs(runDir: string, stack: Stack | undefined): Promise<void> {
  if (!stack) return;
  for (const [name, lines] of Object.entries(stack.logs())) await writeFile(join(runDir, 'logs', `${name}.log`), `${lines.join('\n')}\n`);
}

/** A deploy/rollback step for the same version as an earlier action that a fault killed. */
function isRerunOfInterrupted(history: History, step: Scenario['steps'][number]): boolean {
  if (step.kind !== 'deploy' && step.kind !== 'rollback') return false;
  return ofType(history.events, 'deployer').some((d) => d.interrupted && d.action === step.kind && d.version === step.version);
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');
}
