import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { toJUnit } from '../../harness/run/junit.ts';
import { CHECKS } from '../../harness/checks/index.ts';
import { loadConfigFile } from '../../harness/config/config-file.ts';
import { REFERENCE, resolveRunOptions } from '../../harness/config/options.ts';
import { defaultDeployerOf, deploymentIdsOf, referencesIn, worldsOf } from '../../harness/core/scenario.ts';
import type { CheckResult } from '../../harness/core/verdict.ts';
import { formatEvent } from '../../harness/core/witness.ts';
import { HarnessError } from '../../harness/errors/harness-error.ts';
import { shellArg } from '../../harness/io/shell.ts';
import { runScenario } from '../../harness/run/run-scenario.ts';
import { loadDeployer } from '../../harness/deployers/load.ts';
import { inspectApp } from '../../harness/app/project.ts';
import { deploymentIdModeFor, deploymentIdSupport } from '../../harness/app/deployment-id.ts';
import { appFacts } from '../../harness/app/plan.ts';
import { notApplicable } from '../../harness/app/adapt.ts';
import { checkNextVersion } from '../../harness/builds/next-versions.ts';
import { deployerPart, type ScenarioReport } from '../../harness/run/report.ts';
import { CATALOGUE, getScenario } from '../../scenarios/index.ts';
import { isScenarioFile, loadScenarioFile } from '../../harness/scenario/file.ts';
import { EXIT, type Io } from '../io.ts';
import { endSummary, VERDICT_MARK, WorkerLines } from '../progress.ts';
import { availableParallelism, freemem } from 'node:os';
import { prepareOutputFile } from '../../harness/io/output-path.ts';
import { formatProfile, type Phase } from '../../harness/run/profile.ts';
import { parseShard, shardOf } from '../../harness/run/shard.ts';
import { defaultWorkers } from '../../harness/run/workers.ts';
import { runWithBrowsers } from '../../harness/run/browser-workers.ts';

export interface RunFlags {
  deployer?: string;
  bundler?: string;
  cdn?: string;
  world?: string;
  deploymentId?: string;
  json?: boolean;
  junit?: string;
  app?: string;
  next?: string;
  trace?: string;
  seed?: string;
  control?: boolean;
  load?: string;
  workers?: string;
  shard?: string;
  profile?: boolean;
  deployerTimeout?: string;
  /** Print what would run and what skew found, and start nothing. */
  plan?: boolean;
}

export async function runCommand(io: Io, names: string[], flags: RunFlags): Promise<number> {
  const opts = resolveRunOptions(flags, io.env, await loadConfigFile(io.cwd));
  const shard = opts.shard ? parseShard(opts.shard) : undefined;
  // Where the JUnit goes is checked before anything runs: a path that cannot be written fails now.
  const junit = opts.junit ? await prepareOutputFile(resolve(io.cwd, opts.junit), '--junit') : undefined;
  // A name from the catalogue, or a scenario file (what `skew fuzz` writes).
  // Each with the name its rerun gives it: the catalogue's, or the file's path as given.
  const named = names.length
    ? await Promise.all(
        names.map(async (n) => ({ scenario: isScenarioFile(n) ? await loadScenarioFile(resolve(io.cwd, n)) : getScenario(n), named: n })),
      )
    : CATALOGUE.map((scenario) => ({ scenario, named: scenario.name }));
  // Checked once, before anything is built: a wrong path, a missing install or a config skew
  // cannot test fails at once.
  if (opts.next) checkNextVersion(opts.next, opts.app);
  const app = opts.app ? await inspectApp(resolve(io.cwd, opts.app)) : undefined;
  if (app)
    io.err(`app ${app.name} at ${app.dir}: Next.js ${app.nextVersion}, ${app.packageManager}${app.lockfile ? ` (${app.lockfile})` : ''}\n`);
  // An app whose builds cannot carry a deployment id is judged as builds without one, and told why.
  const idSupport = app ? deploymentIdSupport(app) : undefined;
  const mode = deploymentIdModeFor(app, opts.deploymentId);
  if (idSupport && !idSupport.carries)
    io.err(`app ${app!.name}: judged as builds without a deployment id: ${idSupport.why}. To give them one: ${idSupport.fix}\n`);
  // A scenario runs in the worlds it declares: one named for another world is a mistake, said
  // before anything starts; the catalogue runs what applies and lists the rest.
  const applies = (s: (typeof named)[number]['scenario']) => worldsOf(s).includes(opts.world) && deploymentIdsOf(s).includes(mode);
  const here = `the ${opts.world} world${mode === 'off' ? ', built without a deployment id' : ''}`;
  const elsewhere = named.filter(({ scenario }) => !applies(scenario));
  if (names.length && elsewhere.length)
    throw new HarnessError(
      'INVALID_OPTION',
      `not in ${here}: ${elsewhere.map(({ scenario }) => `${scenario.name} (worlds ${worldsOf(scenario).join(', ')}; deployment ids ${deploymentIdsOf(scenario).join(', ')})`).join(', ')}`,
      `run them with their own --world / --deployment-id, or leave them out (skew list shows where each scenario applies)`,
    );
  // What does not run: said on stderr as it is decided, and listed for --plan.
  const skipped: { name: string; why: string }[] = [];
  const skip = (group: typeof named, why: string, whyOf: (s: (typeof named)[number]['scenario']) => string = () => why) => {
    if (group.length) io.err(`skipped, ${why}: ${group.map(({ scenario }) => scenario.name).join(', ')}\n`);
    skipped.push(...group.map(({ scenario }) => ({ name: scenario.name, why: whyOf(scenario) })));
  };
  skip(elsewhere, `not in ${here}`);
  // A platform scenario (revisions, a traffic split, an object store) judges a deployer with a
  // platform side, and only such a deployer: the catalogue with releases-symlink skips them
  // instead of failing on a platform nobody deployed to. Loaded once here (a wrong path fails now).
  const given = opts.deployer === REFERENCE ? undefined : await loadDeployer(opts.deployer, io.cwd);
  const sideOf = (s: (typeof named)[number]['scenario']) => !given || !!s.platform === !!given.platform;
  const otherSide = named.filter(({ scenario }) => applies(scenario) && !sideOf(scenario));
  const side = given?.platform ? 'a platform deployer (no release store)' : 'a deployer without a platform side';
  if (names.length && otherSide.length)
    throw new HarnessError(
      'INVALID_OPTION',
      `${otherSide.map(({ scenario }) => scenario.name).join(', ')} ${otherSide.length > 1 ? 'are' : 'is'} not for ${given!.name}, ${side}`,
      given?.platform
        ? 'run the release-store scenarios with a release-store deployer (skew list)'
        : 'platform scenarios judge a module deployer with `platform: true` (docs/deployer-contract.md, "The platform mode"), such as additive-gc',
    );
  skip(otherSide, `not for ${given?.name}, ${side}`);
  // On an app the catalogue runs what applies to apps; a scenario named on purpose still runs
  // and says why it cannot judge anything there.
  const forApps = (s: (typeof named)[number]['scenario']) => !app || names.length > 0 || !notApplicable(s);
  const notForApps = named.filter(({ scenario }) => applies(scenario) && sideOf(scenario) && !forApps(scenario));
  skip(notForApps, 'not applicable to an app', (s) => String(notApplicable(s)));
  const all = named.filter(({ scenario }) => applies(scenario) && sideOf(scenario) && forApps(scenario));
  const scenarios = shard ? shardOf(all, shard) : all;
  const deployerOf = (s: (typeof named)[number]['scenario']) =>
    opts.deployer === REFERENCE ? defaultDeployerOf(referencesIn(s, opts.world, mode)) : opts.deployer;
  if (shard)
    io.err(
      `shard ${shard.current}/${shard.total}: ${scenarios.length} of ${all.length} scenario(s)${scenarios.length ? `: ${scenarios.map(({ scenario }) => scenario.name).join(', ')}` : ''}\n`,
    );
  if (flags.plan) {
    const plan = {
      app: app ? await appFacts(app, opts.bundler) : [],
      world: opts.world,
      deploymentId: mode,
      cdn: opts.cdn,
      run: scenarios.map(({ scenario }) => ({ name: scenario.name, title: scenario.title, deployer: deployerOf(scenario) })),
      skipped,
    };
    if (opts.json) io.out(`${JSON.stringify(plan, null, 2)}\n`);
    else
      io.out(
        `${[
          'plan (nothing is built or started):',
          ...plan.app,
          `world ${plan.world}, ${mode === 'off' ? 'builds without a deployment id' : 'builds with a deployment id'}, cdn ${plan.cdn}`,
          `will run ${plan.run.length} scenario(s):`,
          ...plan.run.map((r) => `  ${r.name.padEnd(32)} ${r.title} (deployer ${r.deployer})`),
          ...(skipped.length ? [`skipped ${skipped.length}:`, ...skipped.map((k) => `  ${k.name.padEnd(32)} ${k.why}`)] : []),
          ...(app
            ? [
                "after the first build, each scenario maps its old tabs to the app's pages and says what does not apply (the report's `on <app>:` line)",
              ]
            : []),
        ].join('\n')}\n`,
      );
    return EXIT.pass;
  }
  const workers = Math.min(
    opts.workers === 'auto' ? defaultWorkers({ cores: availableParallelism(), freeMemBytes: freemem() }) : opts.workers,
    Math.max(1, scenarios.length),
  );
  if (scenarios.length > 1) io.err(`${scenarios.length} scenario(s) on ${workers} worker(s)\n`);
  const lines = workers > 1 ? new WorkerLines(io, workers) : undefined;
  const t0 = Date.now();
  let reports: ScenarioReport[];
  try {
    // One Chromium per worker: each scenario's sessions are contexts in it.
    reports = await runWithBrowsers(scenarios, workers, async ({ scenario, named }, _, w, browsers) => {
      const deployer = deployerOf(scenario);
      const title = `${scenario.name} with ${deployer} (${opts.world} world, cdn ${opts.cdn}, ${opts.bundler})${app ? ` on ${app.name}` : ''}`;
      if (lines) lines.start(w, title);
      else io.err(`== ${title}\n`);
      const report = await runScenario({
        scenario,
        deployer,
        bundler: opts.bundler,
        ...(opts.next ? { next: opts.next } : {}),
        cdn: opts.cdn,
        world: opts.world,
        deploymentId: mode,
        runsDir: `${io.cwd}/runs`,
        // With one worker the steps stream; with several each worker's latest is its live line
        // (every line is in the run's logs/progress.log).
        log: lines ? (l) => lines.set(w, `${scenario.name} ${l}`) : (l) => io.err(`   ${l}\n`),
        ...(app ? { app } : {}),
        traces: opts.trace,
        browsers,
        ...(opts.seed ? { seed: Number(opts.seed) } : {}),
        ...(opts.control ? { control: true } : {}),
        ...(Number(opts.load) > 0 ? { load: Number(opts.load) } : {}),
        deployerTimeoutMs: opts.deployerTimeout * 1000,
        rerun: `npx skew run ${shellArg(named)} --deployer ${shellArg(deployer)} --cdn ${opts.cdn} --world ${opts.world}${opts.deploymentId === 'off' ? ' --deployment-id off' : ''} --bundler ${opts.bundler}${app ? ` --app ${shellArg(app.dir)}` : ''}${opts.next ? ` --next ${opts.next}` : ''}`,
      });
      const text = opts.json ? '' : `${summary(report)}${opts.profile && report.profile ? `${profileText(report.profile)}\n` : ''}`;
      if (lines) {
        lines.set(w, '');
        lines.print(text, 'out');
      } else io.out(text);
      return report;
    });
  } finally {
    lines?.done();
  }
  if (reports.length > 1 && !opts.json) io.out(endSummary(reports, Date.now() - t0, workers));
  if (opts.json) io.out(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  if (junit) {
    await writeFile(junit, toJUnit(reports));
    io.err(`JUnit XML: ${junit}\n`);
  }
  if (reports.some((r) => r.verdict === 'fail')) return EXIT.fail;
  if (reports.some((r) => r.verdict === 'inconclusive')) return EXIT.inconclusive;
  return EXIT.pass;
}

/** A run's profile: where its wall time went. */
function profileText(phases: readonly Phase[]): string {
  return ['  profile:', ...formatProfile(phases).map((l) => `    ${l}`)].join('\n');
}

/** A failed check's witness: the events that alone make it fail, at most WITNESS_SHOWN of them. */
const WITNESS_SHOWN = 8;
function witnessLines(w: NonNullable<CheckResult['witness']>): string[] {
  const more = w.events.length - WITNESS_SHOWN;
  return [
    `witness (${w.events.length} of the history's ${w.of} events alone fail it${w.minimal ? '' : '; the search stopped at its budget'}):`,
    ...w.events.slice(0, WITNESS_SHOWN).map((e) => `  ${formatEvent(e)}`),
    ...(more > 0 ? [`  … and ${more} more (report.json)`] : []),
  ];
}

/** What a person reads: the verdict, each check, the evidence of what did not pass. */
export function summary(r: ScenarioReport): string {
  const lines = [
    `${VERDICT_MARK[r.verdict]}  ${r.scenario} — ${r.title}`,
    // Before anything else: the one line that explains every failure below.
    ...(r.headline ? [`      ${r.headline}`] : []),
    `      deployer ${r.deployer} (${deployerPart(r)}), ${r.world ?? 'pinned'} world, ${r.deploymentIdMode === 'off' ? 'no deployment id, ' : ''}cdn ${r.cdn}, ${r.bundler}, ${(r.durationMs / 1000).toFixed(1)} s`,
    ...(r.limit ? [`      the limit here: no deployer passes this scenario in this world: ${r.limit}`] : []),
  ];
  for (const c of r.checks) {
    lines.push(`  ${VERDICT_MARK[c.verdict].padEnd(12)} ${c.check}`);
    const shown = c.verdict === 'pass' ? c.evidence.slice(0, 1) : c.evidence;
    for (const e of shown) lines.push(`               ${e}`);
    if (c.verdict === 'fail' && CHECKS[c.check]) lines.push(`               fix: ${CHECKS[c.check]!.fix}`);
    if (c.witness) lines.push(...witnessLines(c.witness).map((l) => `               ${l}`));
  }
  if (r.app?.mapping.length) lines.push(`  on ${r.app.name}: ${r.app.mapping.join('; ')}`);
  const none = r.app?.withoutDeploymentId;
  if (none)
    lines.push(`  no deployment id: ${none.why}`, `    what it costs its users: ${none.costs}`, `    to give its builds one: ${none.fix}`);
  lines.push(`  evidence: ${r.runDir}`, `  rerun:    ${r.rerun}`, '');
  return `${lines.join('\n')}\n`;
}
