import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { toJUnit } from '../../harness/run/junit.ts';
import { CHECKS } from '../../harness/checks/index.ts';
import { loadConfigFile } from '../../harness/config/config-file.ts';
import { REFERENCE, resolveRunOptions } from '../../harness/config/options.ts';
import { defaultDeployerOf, deploymentIdsOf, referencesIn, worldsOf } from '../../harness/core/scenario.ts';
import { HarnessError } from '../../harness/errors/harness-error.ts';
import { shellArg } from '../../harness/io/shell.ts';
import { runScenario } from '../../harness/run/run-scenario.ts';
import { inspectApp } from '../../harness/app/project.ts';
import { notApplicable } from '../../harness/app/adapt.ts';
import { checkNextVersion } from '../../harness/builds/next-versions.ts';
import { deployerPart, type ScenarioReport } from '../../harness/run/report.ts';
import { CATALOGUE, getScenario } from '../../scenarios/index.ts';
import { isScenarioFile, loadScenarioFile } from '../../harness/scenario/file.ts';
import { EXIT, type Io } from '../io.ts';

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
}

export async function runCommand(io: Io, names: string[], flags: RunFlags): Promise<number> {
  const opts = resolveRunOptions(flags, io.env, await loadConfigFile(io.cwd));
  // A name from the catalogue, or a scenario file (what `skew fuzz` writes).
  // Each with the name its rerun gives it: the catalogue's, or the file's path as given.
  const named = names.length
    ? await Promise.all(
        names.map(async (n) => ({ scenario: isScenarioFile(n) ? await loadScenarioFile(resolve(io.cwd, n)) : getScenario(n), named: n })),
      )
    : CATALOGUE.map((scenario) => ({ scenario, named: scenario.name }));
  // A scenario runs in the worlds it declares: one named for another world is a mistake, said
  // before anything starts; the catalogue runs what applies and lists the rest.
  const applies = (s: (typeof named)[number]['scenario']) =>
    worldsOf(s).includes(opts.world) && deploymentIdsOf(s).includes(opts.deploymentId);
  const here = `the ${opts.world} world${opts.deploymentId === 'off' ? ', built without a deployment id' : ''}`;
  const elsewhere = named.filter(({ scenario }) => !applies(scenario));
  if (names.length && elsewhere.length)
    throw new HarnessError(
      'INVALID_OPTION',
      `not in ${here}: ${elsewhere.map(({ scenario }) => `${scenario.name} (worlds ${worldsOf(scenario).join(', ')}; deployment ids ${deploymentIdsOf(scenario).join(', ')})`).join(', ')}`,
      `run them with their own --world / --deployment-id, or leave them out (skew list shows where each scenario applies)`,
    );
  if (elsewhere.length) io.err(`skipped, not in ${here}: ${elsewhere.map(({ scenario }) => scenario.name).join(', ')}\n`);
  // Checked once, before anything is built: a wrong path, a missing install or a config skew
  // cannot test fails at once.
  if (opts.next) checkNextVersion(opts.next, opts.app);
  const app = opts.app ? await inspectApp(resolve(io.cwd, opts.app)) : undefined;
  if (app)
    io.err(`app ${app.name} at ${app.dir}: Next.js ${app.nextVersion}, ${app.packageManager}${app.lockfile ? ` (${app.lockfile})` : ''}\n`);
  // On an app the catalogue runs what applies to apps; a scenario named on purpose still runs
  // and says why it cannot judge anything there.
  const forApps = (s: (typeof named)[number]['scenario']) => !app || names.length > 0 || !notApplicable(s);
  const notForApps = named.filter(({ scenario }) => applies(scenario) && !forApps(scenario));
  if (notForApps.length) io.err(`skipped, not applicable to an app: ${notForApps.map(({ scenario }) => scenario.name).join(', ')}\n`);
  const scenarios = named.filter(({ scenario }) => applies(scenario) && forApps(scenario));
  const reports: ScenarioReport[] = [];
  for (const { scenario, named } of scenarios) {
    const deployer = opts.deployer === REFERENCE ? defaultDeployerOf(referencesIn(scenario, opts.world, opts.deploymentId)) : opts.deployer;
    io.err(`== ${scenario.name} with ${deployer} (${opts.world} world, cdn ${opts.cdn}, ${opts.bundler})${app ? ` on ${app.name}` : ''}\n`);
    const report = await runScenario({
      scenario,
      deployer,
      bundler: opts.bundler,
      ...(opts.next ? { next: opts.next } : {}),
      cdn: opts.cdn,
      world: opts.world,
      deploymentId: opts.deploymentId,
      runsDir: `${io.cwd}/runs`,
      log: (l) => io.err(`   ${l}\n`),
      ...(app ? { app } : {}),
      traces: opts.trace,
      ...(opts.seed ? { seed: Number(opts.seed) } : {}),
      ...(opts.control ? { control: true } : {}),
      ...(Number(opts.load) > 0 ? { load: Number(opts.load) } : {}),
      rerun: `npx skew run ${shellArg(named)} --deployer ${shellArg(deployer)} --cdn ${opts.cdn} --world ${opts.world}${opts.deploymentId === 'off' ? ' --deployment-id off' : ''} --bundler ${opts.bundler}${app ? ` --app ${shellArg(app.dir)}` : ''}${opts.next ? ` --next ${opts.next}` : ''}`,
    });
    reports.push(report);
    if (!opts.json) io.out(summary(report));
  }
  if (opts.json) io.out(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  if (opts.junit) {
    const file = resolve(io.cwd, opts.junit);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, toJUnit(reports));
    io.err(`JUnit XML: ${file}\n`);
  }
  if (reports.some((r) => r.verdict === 'fail')) return EXIT.fail;
  if (reports.some((r) => r.verdict === 'inconclusive')) return EXIT.inconclusive;
  return EXIT.pass;
}

/** What a person reads: the verdict, each check, the evidence of what did not pass. */
export function summary(r: ScenarioReport): string {
  const mark = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' } as const;
  const lines = [
    `${mark[r.verdict]}  ${r.scenario} — ${r.title}`,
    `      deployer ${r.deployer} (${deployerPart(r)}), ${r.world ?? 'pinned'} world, ${r.deploymentIdMode === 'off' ? 'no deployment id, ' : ''}cdn ${r.cdn}, ${r.bundler}, ${(r.durationMs / 1000).toFixed(1)} s`,
    ...(r.limit ? [`      the limit here: no deployer passes this scenario in this world: ${r.limit}`] : []),
  ];
  for (const c of r.checks) {
    lines.push(`  ${mark[c.verdict].padEnd(12)} ${c.check}`);
    const shown = c.verdict === 'pass' ? c.evidence.slice(0, 1) : c.evidence;
    for (const e of shown) lines.push(`               ${e}`);
    if (c.verdict === 'fail' && CHECKS[c.check]) lines.push(`               fix: ${CHECKS[c.check]!.fix}`);
  }
  if (r.app?.mapping.length) lines.push(`  on ${r.app.name}: ${r.app.mapping.join('; ')}`);
  lines.push(`  evidence: ${r.runDir}`, `  rerun:    ${r.rerun}`, '');
  return `${lines.join('\n')}\n`;
}
