import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { adaptScenario, notApplicable, skewableFiles } from '../app/adapt.ts';
import type { BundlerChoice } from '../app/app-build.ts';
import { discoverApp } from '../app/discover.ts';
import { type DeploymentIdSupport, deploymentIdModeFor, deploymentIdSupport } from '../app/deployment-id.ts';
import type { AppProject } from '../app/project.ts';
import type { Build, Bundler } from '../builds/types.ts';
import type { Deployer } from '../deployers/deployer.ts';
import { loadDeployer } from '../deployers/load.ts';
import { sandboxMode } from '../deployers/external/sandbox.ts';
import { HarnessError, isHarnessError } from '../errors/harness-error.ts';
import { randomSeed } from '../faults/rng.ts';
import { nginxPath } from '../cdn/nginx-config.ts';
import { onCleanup } from '../io/cleanup.ts';
import { Interrupted, interruptedBy } from '../io/interrupt.ts';
import { shellArg } from '../io/shell.ts';
import { prepareRunsFolder } from '../io/output-path.ts';
import { rolloutStrategy } from '../core/rollout-strategy.ts';
import { type DeploymentIdMode, deploymentIdsOf, worldsOf } from '../core/scenario.ts';
import type { Scenario } from '../scenario/parse.ts';
import { needsOf } from '../steps/index.ts';
import { type History, ofType } from '../core/history.ts';
import type { BrowserPool } from '../browser/pool.ts';
import { PhaseTimer, stepPhases } from './profile.ts';
import { buildVersions } from './builds.ts';
import { runWithControl } from './control-run.ts';
import { pointLatest, RUN_FILES, writeEvidence, writeHistory, writeLogs } from './evidence.ts';
import { type Judged, judge } from './judge.ts';
import { type Played, play } from './play.ts';
import type { AppReport, ScenarioReport } from './report.ts';
import { Rig } from './rig.ts';
import { runIdOf } from './run-id.ts';
import { markRunning, unmarkRunning } from './stale-stacks.ts';
import { type KnobsInput, type StackSpec, stackSpec } from './spec.ts';

/** A runaway step loop must not fill the memory with its progress. */
const MAX_PROGRESS_LINES = 20_000;

/** One run of a scenario: what to run, against what, and the knobs of its world (StackKnobs). */
export interface RunOptions extends KnobsInput {
  scenario: Scenario;
  /** A user's Next.js project to run the scenario against instead of the fixture (`--app`). */
  app?: AppProject;
  deployer: Deployer | string;
  /** `auto` (the default for an app): what the app's build script or Next version uses. */
  /** An exact Next.js version to build the fixture with (`--next`). */
  next?: string;
  bundler?: BundlerChoice;
  /** Where `runs/<time>-<scenario>/` go. Default `<cwd>/runs`. */
  runsDir?: string;
  buildsDir?: string;
  /** Progress lines (builds, steps); the CLI prints them, tests may ignore them. */
  log?: (line: string) => void;
  /** The command line that reruns this, for the report. */
  rerun?: string;
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
  /** Build the versions with a deployment id (`on`, default) or without one, as most self-hosted apps are (`off`). */
  deploymentId?: DeploymentIdMode;
  /** Keep the stack's release copies after the run (they are removed on success by default). */
  keepStack?: boolean;
  /**
   * Browsers shared between runs (one `skew run` worker's, one Playwright worker's): the run's
   * sessions open contexts in them instead of launching a Chromium of their own.
   */
  browsers?: BrowserPool;
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
 * Runs one scenario end to end, in phases: prepare (deployer, builds, the app's adaptation, the
 * world's spec) → open (a fresh stack and browser) → play (every step recorded) → judge (the
 * scenario's checks over the history) → write (the run's evidence) → close (everything torn
 * down, also when a step or the harness failed). Evidence is written also when a step failed.
 */
/** Steps that never ran: nothing failed, no traces. */
const NOTHING_PLAYED: Judged['played'] = { stepErrors: [], traces: {} };

export async function runScenario(opts: RunOptions): Promise<ScenarioReport> {
  if (opts.control) return runWithControl(opts, runScenario);
  const timer = new PhaseTimer();
  const run = await prepare(opts);
  timer.mark(opts.app ? "builds and the app's discovery" : 'builds');
  if (run.notApplicable) {
    // Not applicable: judged at once, nothing built or started.
    const judged = { ...run.judged, scenario: { ...run.scenario, checks: [] }, played: NOTHING_PLAYED };
    const report = judge({ ...judged, events: [] });
    await writeEvidence(run.runDir, [], report, RUN_FILES, judged);
    await unmarkRunning(run.runDir);
    await pointLatest(run.runsDir, run.runDir);
    return report;
  }
  if (run.interrupted) {
    // Interrupted during the builds: nothing started, the report says how far it got.
    const report = interruptedReport(run, [], undefined, { signal: run.interrupted, stepsDone: 0 }, 'builds');
    await writeEvidence(run.runDir, [], report, RUN_FILES, { ...run.judged, played: NOTHING_PLAYED });
    await unmarkRunning(run.runDir);
    throw new Interrupted(run.interrupted);
  }
  const { log } = run;
  let rig: Rig | undefined;
  let opening: Promise<Rig> | undefined;
  let closing: Promise<void> | undefined;
  // One close, shared: the signal's teardown and this run's own wait for the same promise, so
  // a Ctrl-C during the teardown waits for the browser's temp folders to go instead of exiting
  // under it. A close asked for while the stack starts waits for it, then takes it down.
  const close = () =>
    (closing ??= (async () => {
      const r = rig ?? (await opening?.catch(() => undefined));
      await r?.close();
    })());
  const unregister = onCleanup(`run ${run.runId}`, close);
  let report: ScenarioReport | undefined;
  /** How the steps went, for judge.json (what `skew judge` judges again). */
  let judgedPlayed: Judged['played'] | undefined;
  let events: History['events'] = [];
  let stopped: { signal: NodeJS.Signals; stepsDone: number; phase: string } | undefined;
  let phase = 'stack start';
  try {
    opening = Rig.open({
      spec: run.spec,
      builds: run.builds,
      deployer: run.deployer,
      dir: run.runDir,
      runId: run.runId,
      log,
      deployerOptions: run.scenario.deployerOptions ?? {},
      browsers: opts.browsers,
    });
    rig = await opening;
    timer.mark('stack start');
    // A signal while the stack started: the teardown waited for it; no step begins.
    const signal = interruptedBy();
    if (signal) throw new Interrupted(signal);
    phase = 'steps';
    const up = rig;
    const { hold } = opts;
    const played = await play(up, {
      scenario: run.scenario,
      runDir: run.runDir,
      load: opts.load,
      beforeStep: opts.beforeStep,
      afterSteps:
        hold && ((p) => hold(heldStack(up, run.runId, judge({ ...run.judged, events: up.history.events, played: { ...p, traces: {} } })))),
      log,
    });
    events = up.history.events;
    timer.mark('after the steps: faults healed, sessions closed', stepPhases(events));
    if (played.interrupted && played.interrupted.stepsDone < run.scenario.steps.length) {
      stopped = { ...played.interrupted, phase: 'steps' };
      report = interruptedReport(run, events, played, played.interrupted, 'steps');
      judgedPlayed = played;
    } else {
      await writeLogs(run.runDir, up.stack);
      if (played.fatal) {
        // A broken environment judges nothing; its history is still worth a look.
        if (isHarnessError(played.fatal) && played.fatal.kind === 'environment') await writeHistory(run.runDir, events);
        throw played.fatal;
      }
      // Every step done (a signal during `skew repro --keep`'s hold, or after the last step): judged as usual.
      report = judge({ ...run.judged, events, played });
      judgedPlayed = played;
      timer.mark('judge');
    }
  } catch (e) {
    const signal = interruptedBy();
    if (!signal) throw e;
    // What the teardown broke under a starting stack or a running step is not an error.
    stopped = { signal, stepsDone: rig ? stepsDoneIn(rig.history.events) : 0, phase };
    events = rig?.history.events ?? events;
    report = interruptedReport(run, events, undefined, stopped, stopped.phase);
  } finally {
    log('teardown…');
    try {
      await close();
    } finally {
      unregister();
      // The release copies go unless asked to stay: after a verdict, and after an interrupt.
      if (report && !opts.keepStack) await rm(join(run.runDir, 'stack', 'deploy'), { recursive: true, force: true });
      timer.mark('teardown');
      log('teardown done');
      await writeFile(join(run.runDir, 'logs', 'progress.log'), `${run.progress.join('\n')}\n`).catch(() => {});
      await unmarkRunning(run.runDir);
      // Written once the teardown is timed, so the report's profile and duration cover the whole run.
      if (report) {
        report.deployerSandbox = confinementOf(run.deployer);
        report.profile = timer.phases;
        report.durationMs = Date.now() - run.judged.startedAt.getTime();
        await writeEvidence(run.runDir, events, report, RUN_FILES, { ...run.judged, played: judgedPlayed ?? NOTHING_PLAYED });
        if (!stopped) await pointLatest(run.runsDir, run.runDir);
      }
    }
  }
  if (stopped) throw new Interrupted(stopped.signal);
  return report!;
}

/**
 * The report of a run a signal stopped: verdict `interrupted`, how far it got, and the checks
 * over the steps done (for a look, not a verdict).
 */
function interruptedReport(
  run: PreparedRun,
  events: History['events'],
  played: Played | undefined,
  at: { signal: NodeJS.Signals; stepsDone: number },
  phase: string,
): ScenarioReport {
  const judged = judge({ ...run.judged, events, played: played ?? { stepErrors: [], traces: {} } });
  return {
    ...judged,
    verdict: 'interrupted',
    interrupted: { signal: at.signal, phase, stepsDone: at.stepsDone, steps: run.scenario.steps.length },
  };
}

/** How the deployer ran: confined (a command) or trusted (a module in this process). */
function confinementOf(deployer: Deployer): string {
  const command = [deployer.deploy, deployer.rollback, deployer.cleanup].some((a) => a && 'start' in a);
  return command
    ? sandboxMode().detail
    : 'none: a module deployer runs in the harness process as trusted code (docs/deployer-contract.md, "Module deployers are trusted")';
}

/** Steps that completed, from the history (each step's end is recorded). */
function stepsDoneIn(events: History['events']): number {
  return ofType(events, 'step').filter((e) => e.phase === 'end' && !e.error).length;
}

interface PreparedRun {
  scenario: Scenario;
  deployer: Deployer;
  builds: Record<string, Build>;
  spec: StackSpec;
  runId: string;
  runsDir: string;
  runDir: string;
  log: (line: string) => void;
  /** The progress lines logged so far (written to logs/progress.log at the end). */
  progress: string[];
  /** Set when the scenario cannot apply to the user's app at all (nothing is built or started). */
  notApplicable?: string;
  /** Set when a signal stopped the builds or the app's discovery (nothing else started). */
  interrupted?: NodeJS.Signals;
  /** What the judge needs besides the history. */
  judged: Omit<Parameters<typeof judge>[0], 'events' | 'played'>;
}

/** Everything decided before the stack starts: the deployer, the run directory, the builds, the app's adaptation, the spec. */
async function prepare(opts: RunOptions): Promise<PreparedRun> {
  let { scenario } = opts;
  // Under load, the clients' errors are judged too.
  if (opts.load && !scenario.checks.includes('load-errors')) scenario = { ...scenario, checks: [...scenario.checks, 'load-errors'] };
  const world = opts.world ?? 'pinned';
  // An app whose builds cannot carry a deployment id is judged as what it is: a build without one.
  const idSupport = opts.app ? deploymentIdSupport(opts.app) : undefined;
  const mode = deploymentIdModeFor(opts.app, opts.deploymentId ?? 'on');
  if (!deploymentIdsOf(scenario).includes(mode))
    throw new HarnessError(
      'INVALID_OPTION',
      `scenario ${scenario.name} does not apply to builds with --deployment-id ${mode} (its modes: ${deploymentIdsOf(scenario).join(', ')})`,
      `run it with --deployment-id ${deploymentIdsOf(scenario)[0]} (skew list shows each scenario's modes)`,
    );
  if (!worldsOf(scenario).includes(world))
    throw new HarnessError(
      'INVALID_OPTION',
      `scenario ${scenario.name} does not apply to the ${world} world (its worlds: ${worldsOf(scenario).join(', ')})`,
      `run it with --world ${worldsOf(scenario)[0]}, or name scenarios that apply to ${world} (skew list shows each one's worlds)`,
    );
  const deployer = typeof opts.deployer === 'string' ? await loadDeployer(opts.deployer) : opts.deployer;
  const cdn = opts.cdn ?? 'process';
  const startedAt = new Date();
  const seed = opts.seed ?? randomSeed();
  // Progress lines carry the elapsed time: readable in CI logs, and they show where time goes.
  // Every line is kept for the run's logs/progress.log: with parallel workers the terminal shows only the latest.
  const progress: string[] = [];
  const log = (line: string) => {
    const stamped = `[${((Date.now() - startedAt.getTime()) / 1000).toFixed(1).padStart(5)}s] ${line}`;
    if (progress.length < MAX_PROGRESS_LINES) progress.push(stamped);
    opts.log?.(stamped);
  };
  const runId = runIdOf(startedAt, scenario.name, deployer.name, { control: opts.asControl });
  const runsDir = resolve(opts.runsDir ?? 'runs');
  // nginx reads its files from under here: a path it cannot take is refused before anything starts.
  nginxPath(runsDir);
  await prepareRunsFolder(runsDir);
  const runDir = join(runsDir, runId);
  // A scenario may need one bundler's output (webpack's css/ and media/): unless the run chose one.
  const choice = (opts.bundler === 'auto' || opts.bundler === undefined) && !opts.app && scenario.bundler ? scenario.bundler : opts.bundler;
  let bundler: Bundler = choice === 'auto' || choice === undefined ? 'turbopack' : choice;
  await mkdir(join(runDir, 'logs'), { recursive: true });
  // Until the teardown ends: `skew down` tells a run that died from one still going.
  await markRunning(runDir);
  await writeFile(join(runDir, 'scenario.json'), JSON.stringify({ scenario, deployer: deployer.name, bundler, cdn, world }, null, 2));
  const rerun = (app?: AppProject) =>
    opts.rerun ??
    `npx skew run ${scenario.name} --deployer ${shellArg(deployer.name)} --cdn ${cdn} --world ${world}${mode === 'off' ? ' --deployment-id off' : ''} --bundler ${bundler}${app ? ` --app ${shellArg(app.dir)}` : ''}`;
  const base = { deployer, cdn, world, startedAt, runDir, seed };
  const spec = (s: Scenario) =>
    stackSpec(
      opts,
      {
        edge: s.edge,
        locations: s.locations,
        platform: s.platform,
        needs: needsOf(s.steps),
        rollout: s.rollout && rolloutStrategy.parse(s.rollout),
      },
      seed,
    );

  // The run as prepared so far, with the builds made and what else the caller adds.
  const prepared = (builds: Record<string, Build>, rest: Pick<PreparedRun, 'judged'> & Partial<PreparedRun>): PreparedRun => ({
    scenario,
    deployer,
    builds,
    spec: spec(scenario),
    runId,
    runsDir,
    runDir,
    log,
    progress,
    ...rest,
  });
  const na = opts.app && notApplicable(scenario);
  if (opts.app && na) {
    const app: AppReport = { ...appIdentity(opts.app), pages: [], lazyPages: [], mapping: [], gaps: [na], notApplicable: [] };
    return prepared({}, { notApplicable: na, judged: { ...base, scenario, bundler, builds: {}, rerun: opts.rerun ?? '', app } });
  }
  // The builds and, for an app, its discovery: the part a signal may stop before anything starts.
  const buildAndDiscover = async () => {
    const built = await buildVersions({
      versions: scenario.versions,
      app: opts.app,
      bundler: choice,
      schema: scenario.schema,
      buildsDir: opts.buildsDir,
      asControl: opts.asControl,
      deploymentId: mode,
      actionIds: scenario.actionIds,
      next: opts.next,
      log,
    });
    const { builds } = built;
    bundler = built.bundler;
    let app: AppReport | undefined;
    if (opts.app) {
      const profile = await discoverApp(builds[scenario.versions[0]!]!, log);
      const adapted = adaptScenario(scenario, profile);
      const gaps = [...adapted.gaps];
      const [a, b] = scenario.versions.map((v) => builds[v]!);
      if (a && b && skewableFiles(a, b) === 0)
        gaps.push(
          `${scenario.versions[0]} and ${scenario.versions[1]} built identical client files (no client code of the app changed): nothing can skew on static assets`,
        );
      scenario = adapted.scenario;
      app = {
        ...appIdentity(opts.app),
        ...(mode === 'off' ? { withoutDeploymentId: withoutDeploymentId(idSupport) } : {}),
        pages: profile.routes.map((r) => `${r.path} (${r.router}, ${r.kind}: ${profile.visited[r.path] ?? 'not opened'})`),
        lazyPages: profile.lazy,
        mapping: adapted.mapping,
        gaps,
        notApplicable: adapted.notApplicable,
      };
      await writeFile(
        join(runDir, 'scenario.json'),
        JSON.stringify({ scenario, deployer: deployer.name, bundler, cdn, world, app }, null, 2),
      );
      for (const g of gaps) log(`app: ${g}`);
      for (const n of adapted.notApplicable) log(`app, not applicable: ${n}`);
    }
    return { builds, app };
  };
  let builds: Record<string, Build>;
  let app: AppReport | undefined;
  try {
    ({ builds, app } = await buildAndDiscover());
  } catch (e) {
    const signal = interruptedBy();
    if (signal) return prepared({}, { interrupted: signal, judged: { ...base, scenario, bundler, builds: {}, rerun: rerun(opts.app) } });
    throw e;
  }
  return prepared(builds, { judged: { ...base, scenario, bundler, builds, rerun: rerun(opts.app), app } });
}

/** What a build without a deployment id costs the app's users, and why it has none. */
function withoutDeploymentId(support: DeploymentIdSupport | undefined): NonNullable<AppReport['withoutDeploymentId']> {
  return {
    why: support?.why ?? 'built without one, as asked (--deployment-id off)',
    costs:
      "nothing routes an old tab's requests (chunks, RSC and data requests, Server Actions) to its own build: they reach the new one, and Next recovers by a full page load at best (recovers-by-navigation judges it)",
    fix: support?.fix ?? 'set NEXT_DEPLOYMENT_ID at build and start (Next.js 14.1.4 or later reads it by itself)',
  };
}

function appIdentity(app: AppProject): Pick<AppReport, 'name' | 'dir' | 'nextVersion' | 'packageManager'> {
  return { name: app.name, dir: app.dir, nextVersion: app.nextVersion, packageManager: app.packageManager };
}

/** What `hold` gets: the stack after the last step, and the verdict so far. */
function heldStack(rig: Rig, runId: string, report: ScenarioReport): HeldStack {
  const s = rig.stack;
  return {
    report,
    runId,
    edgeUrl: s.url,
    edgeUrls: Object.fromEntries(s.locations.map((l) => [l, s.edgeAt(l).url])),
    origins: s.originUrls(),
    deployRoot: s.deployRoot,
    ...(rig.control.platformUrl ? { platformUrl: rig.control.platformUrl } : {}),
  };
}
