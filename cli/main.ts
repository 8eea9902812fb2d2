import { Command, CommanderError } from 'commander';
import { DEFAULT_DEPLOYER_TIMEOUT_MS } from '../harness/run/spec.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envBoolean } from '../harness/config/env-boolean.ts';
import { PACKAGE_ROOT } from '../harness/io/package-root.ts';
import { formatError, isHarnessError } from '../harness/errors/harness-error.ts';
import { guardExit } from '../harness/io/exit-guard.ts';
import { interruptedBy, signalExitCode } from '../harness/io/interrupt.ts';
import { doctorCommand } from './commands/doctor.ts';
import { downCommand } from './commands/down.ts';
import { reproCommand, type ReproFlags } from './commands/repro.ts';
import { explainCommand } from './commands/explain.ts';
import { listCommand } from './commands/list.ts';
import { probeCommand, type ProbeFlags } from './commands/probe.ts';
import { fuzzCommand, type FuzzFlags } from './commands/fuzz.ts';
import { initCommand, type InitFlags } from './commands/init.ts';
import { judgeCommand, type JudgeFlags } from './commands/judge.ts';
import { mutateCommand, type MutateFlags } from './commands/mutate.ts';
import { runCommand, type RunFlags } from './commands/run.ts';
import { EXIT, processIo, type Io } from './io.ts';

/** Builds the CLI. Options carry no defaults here: defaults < SKEW_* env < flags is resolved once. */
export function program(io: Io, setCode: (code: number) => void): Command {
  const p = new Command('skew')
    .description(
      'Prove, with real Next.js builds, a real nginx CDN and a real Chromium, whether a deploy strategy keeps users on older builds working.',
    )
    .version(packageVersion(), '-V, --version', "print skew's version")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  p.command('init')
    .description(
      'set skew up in your Next.js project: skew.config.ts, skew/deploy.sh (the deployer contract, every variable explained), one Playwright spec and a GitHub Actions workflow; never overwrites a file',
    )
    .argument('[dir]', 'the project folder [default: the current one]')
    .option('--json', 'machine-readable output')
    .action(async (dir: string | undefined, o: InitFlags) => setCode(await initCommand(io, dir, o)));
  p.command('list')
    .description('list the scenario catalogue, the reference deployers and the checks')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => setCode(listCommand(io, o)));
  p.command('run')
    .description('run scenarios (all when none is named) and print their verdicts')
    .argument('[scenario...]', 'scenario names (see `skew list`)')
    .option(
      '--deployer <name>',
      "deployer under test: a name from `skew list` or a path [env SKEW_DEPLOYER; default: each scenario's good reference deployer]",
    )
    .option(
      '--bundler <name>',
      "auto | turbopack | webpack [env SKEW_BUNDLER; default auto: the Next version's own (turbopack from 16), the app's build script for --app]",
    )
    .option('--app <path>', 'run against your Next.js project (built twice as A and B in a copy; your files are only read) [env SKEW_APP]')
    .option(
      '--next <version>',
      "build the fixture with this exact Next.js (15.x or 16.x, installed once from the npm registry) instead of skew's own [env SKEW_NEXT]",
    )
    .option('--cdn <runtime>', 'process | container [env SKEW_CDN; default process]')
    .option(
      '--world <world>',
      "pinned | single-origin | rolling: per-release servers routed by deployment id, one server behind the deployer's nginx, or a Deployment's pods rolled out behind one round-robin Service (docs/worlds.md) [env SKEW_WORLD; default pinned]",
    )
    .option(
      '--deployment-id <mode>',
      'on | off: build the versions with NEXT_DEPLOYMENT_ID, or without one as most self-hosted apps are (docs/worlds.md) [env SKEW_DEPLOYMENT_ID_MODE; default on]',
    )
    .option('--json', 'print the report JSON to stdout [env SKEW_JSON]')
    .option('--junit <file>', 'also write JUnit XML of every run to <file>, for CI [env SKEW_JUNIT]')
    .option(
      '--trace <when>',
      'failing | off: keep a Playwright trace of each session that saw trouble, linked from report.html [env SKEW_TRACE; default failing]',
    )
    .option('--seed <n>', "seed of the faults' random choices; the report prints the one used [env SKEW_SEED; default fresh]")
    .option(
      '--load <n>',
      'n concurrent HTTP clients (old-build tabs and new visitors) through every deploy and rollback; errors by kind and latency percentiles per phase in the check load-errors [env SKEW_LOAD]',
    )
    .option(
      '--control',
      "also run each scenario's A→A control (the first build deployed again): a failure the control shows too is noise, reported inconclusive [env SKEW_CONTROL]",
    )
    .option(
      '--workers <n>',
      'scenarios run at once, each with its own stack and one Chromium per worker [env SKEW_WORKERS; default auto: one per core, fewer when memory is short]',
    )
    .option('--shard <i/n>', "run only this runner's part of the scenarios, split as playwright test --shard (CI matrix) [env SKEW_SHARD]")
    .option('--profile', "print each scenario's per-phase profile: where its wall time went [env SKEW_PROFILE]")
    .option(
      '--deployer-timeout <seconds>',
      `how long one deployer action may take before it is killed and the run is inconclusive [env SKEW_DEPLOYER_TIMEOUT; default ${DEFAULT_DEPLOYER_TIMEOUT_MS / 1000}]`,
    )
    .option(
      '--plan',
      'build and start nothing: print what skew found in the app (Next, bundler, routers, deployment id, build id) and which scenarios would run with which deployer, and why the others would not',
    )
    .action(async (names: string[], o: RunFlags) => setCode(await runCommand(io, names, o)));
  p.command('repro')
    .description(
      'run one scenario for a person: --headed shows the browser, --step waits before each step, --keep leaves the stack up until Ctrl-C or `skew down`',
    )
    .argument('<scenario>', 'a scenario name (see `skew list`)')
    .option('--deployer <name>', "deployer under test [env SKEW_DEPLOYER; default: the scenario's good reference deployer]")
    .option('--bundler <name>', 'auto | turbopack | webpack [env SKEW_BUNDLER]')
    .option('--app <path>', 'run against your Next.js project [env SKEW_APP]')
    .option('--cdn <runtime>', 'process | container [env SKEW_CDN]')
    .option('--world <world>', 'pinned | single-origin | rolling (docs/worlds.md) [env SKEW_WORLD]')
    .option('--deployment-id <mode>', 'on | off (docs/worlds.md) [env SKEW_DEPLOYMENT_ID_MODE]')
    .option('--seed <n>', "seed of the faults' random choices [env SKEW_SEED]")
    .option('--headed', 'show the browser (needs a display)')
    .option('--step', 'wait for Enter before each step')
    .option('--keep', 'after the last step, keep the stack up and print its URLs')
    .action(async (name: string, o: ReproFlags) => setCode(await reproCommand(io, name, o)));
  p.command('fuzz')
    .description(
      'random sequences of deploys, rollbacks (platform deployers: traffic splits), cleanups and GC, clock moves, faults (purge API, origin, storage) and tab actions against the real stack; the first failure is shrunk and written as a scenario file for `skew run`',
    )
    .option('--deployer <name>', 'the deployer to fuzz: a name from `skew list` or a path')
    .option('--seed <n>', 'seed of the generator (printed; the same seed generates the same sequences)')
    .option('--runs <n>', 'sequences to try, each a real run [default 10]')
    .option('--shrink <n>', 'real runs the shrinker may spend [default 15]')
    .option('--max-actions <n>', 'longest sequence [default 8]')
    .option('--cdn <runtime>', 'process | container [default process]')
    .option('--out <dir>', 'where the failing scenario is written [default ./fuzz]')
    .option(
      '--platform',
      'your deployer runs on the skew-protection platform: fuzz traffic splits and GC instead of rollbacks (ours say so themselves)',
    )
    .action(async (o: FuzzFlags) => setCode(await fuzzCommand(io, o)));
  p.command('mutate')
    .description(
      "the catalogue's detection power: run the scenarios against mutants of a deployer (a shell script: a dropped command, swapped commands, a changed number, a dropped flag, a non-atomic switch, an empty purge; a TypeScript module: the same on its syntax tree) and report the mutation score and every survivor",
    )
    .argument('[scenarios...]', 'scenarios to judge each mutant by [default: those the deployer is the pinned good reference of]')
    .option('--deployer <name|path>', 'a reference name, a script or a module')
    .option('--max-mutants <n>', 'mutants to try, spread over all of them [default 12]')
    .option('--match <text>', 'only mutants whose id (file:line:operator) or changed lines contain this text')
    .option('--workers <n>', 'mutants judged at once [default: one per core]')
    .option('--seed <n>', 'the seed of every scenario run [default 1]')
    .option('--break <percent>', 'exit 1 when the score is below this')
    .option('--json', 'machine-readable output')
    .action(async (names: string[], o: MutateFlags) => setCode(await mutateCommand(io, names, o)));
  p.command('judge')
    .description(
      "judge stored runs again with today's checks, from each run folder's history.jsonl and judge.json (nothing is built or started), and say what changed since the run",
    )
    .argument('<run...>', 'run folders (runs/<id>, as a report prints after "evidence:")')
    .option('--json', 'print the reports as JSON, each with what changed since the run')
    .action(async (dirs: string[], o: JudgeFlags) => setCode(await judgeCommand(io, dirs, o)));
  p.command('down')
    .description('tear down every stack kept by `skew repro --keep` under ./runs, and remove the release copies of runs that died')
    .action(async () => setCode(await downCommand(io)));
  p.command('doctor')
    .description(
      'check what skew needs on this machine (Node, browser, nginx + njs, deployer tools, Docker, ports, disk) and say how to fix each gap',
    )
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => setCode(await doctorCommand(io, o)));
  p.command('explain')
    .description('what a scenario does, which seed practice it covers, and what each failing check means for your deployer')
    .argument('<scenario>', 'a scenario name (see `skew list`)')
    .option('--json', 'machine-readable output')
    .action((name: string, o: { json?: boolean }) => setCode(explainCommand(io, name, o)));
  p.command('probe')
    .description(
      "the rollback document's verification against a live URL: build id, _buildManifest.js, the page's chunks, HTML cache status and Age",
    )
    .argument(
      '<url...>',
      'a page of the site (the edge of a run, or your staging site); several URLs = the same page through several edge locations, reported per location',
    )
    .option('--after-purge', 'the HTML must be a MISS with Age 0 (a HIT means the purge did not propagate)')
    .option('--max-chunks <n>', 'check at most n chunk URLs from the page [default 20]')
    .option('--timeout <seconds>', 'give up on a request without an answer after this long [default 10]')
    .option('--json', 'machine-readable output')
    .action(async (urls: string[], o: ProbeFlags) => setCode(await probeCommand(io, urls, o)));
  return p;
}

/** Runs the CLI and returns the exit code; only bin/skew.mjs exits. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.pass;
  // A deployer module or config file calling process.exit gets a thrown error, so the run still tears down.
  const exits = guardExit(argv.find((a) => !a.startsWith('-')) ?? '');
  try {
    await program(io, (c) => (code = c)).parseAsync(argv, { from: 'user' });
    // Caught by whoever called it: the command went on, but its exit code must not say it judged.
    if (!exits.called) return code;
    throw exits.called;
  } catch (caught) {
    // The exit outranks what it caused (a module that "failed to load", a deploy step that failed).
    const e = exits.called ?? caught;
    // After a signal, what failed under the teardown is no error: bin/skew.mjs says what happened.
    const signal = interruptedBy();
    if (signal) return signalExitCode(signal);
    const exitCode =
      e instanceof CommanderError
        ? e.exitCode === 0
          ? EXIT.pass
          : EXIT.usage
        : isHarnessError(e)
          ? ({ input: EXIT.usage, environment: EXIT.environment, deployer: EXIT.inconclusive, internal: EXIT.internal } as const)[e.kind]
          : EXIT.internal;
    if (!(e instanceof CommanderError)) io.err(`${formatError(e)}\n`);
    // A script reading stdout with --json gets an answer it can parse, never an empty stream.
    if (exitCode !== EXIT.pass && wantsJson(argv, io.env)) io.out(`${JSON.stringify({ error: errorObject(e, exitCode) }, null, 2)}\n`);
    return exitCode;
  } finally {
    exits.release();
  }
}

function wantsJson(argv: string[], env: Io['env']): boolean {
  const end = argv.indexOf('--');
  if ((end === -1 ? argv : argv.slice(0, end)).includes('--json')) return true;
  // An invalid SKEW_JSON is the error being reported: its refusal is then printed as text.
  try {
    return envBoolean('SKEW_JSON', env.SKEW_JSON ?? '');
  } catch {
    return false;
  }
}

/** The error as `--json` prints it: the same code, message and hint the terminal shows. */
export function errorObject(e: unknown, exitCode: number): Record<string, unknown> {
  if (isHarnessError(e)) return { code: e.code, kind: e.kind, message: e.message, hint: e.hint, details: e.details, exitCode };
  if (e instanceof CommanderError)
    return {
      code: 'INVALID_OPTION',
      kind: 'input',
      message: e.message,
      hint: 'skew --help lists the commands and options',
      details: [],
      exitCode,
    };
  return {
    code: 'INTERNAL',
    kind: 'internal',
    message: e instanceof Error ? e.message : String(e),
    hint: 'this is a bug in skew: report it with the stack on stderr',
    details: [],
    exitCode,
  };
}

/** The installed package's version, as `npm ls` shows it. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
