import { createInterface } from 'node:readline/promises';
import { loadConfigFile } from '../../harness/config/config-file.ts';
import { REFERENCE, resolveRunOptions } from '../../harness/config/options.ts';
import { HarnessError } from '../../harness/errors/harness-error.ts';
import { defaultDeployerOf, referencesIn } from '../../harness/core/scenario.ts';
import { onInterrupt } from '../../harness/io/interrupt.ts';
import { onCleanup } from '../../harness/io/cleanup.ts';
import { shellArg } from '../../harness/io/shell.ts';
import { removeKept, writeKept } from '../../harness/run/kept.ts';
import { runScenario } from '../../harness/run/run-scenario.ts';
import { getScenario } from '../../scenarios/index.ts';
import { inspectApp } from '../../harness/app/project.ts';
import { resolve } from 'node:path';
import { EXIT, type Io } from '../io.ts';
import { summary, type RunFlags } from './run.ts';

export interface ReproFlags extends RunFlags {
  headed?: boolean;
  keep?: boolean;
  step?: boolean;
}

/**
 * `skew repro <scenario>`: one scenario for a person at a terminal. `--headed` shows the browser
 * (when there is a display), `--step` waits for Enter before each step, `--keep` leaves the
 * stack up after the last step, prints where everything is, and holds it until Ctrl-C or
 * `skew down`.
 */
export async function reproCommand(io: Io, name: string, flags: ReproFlags): Promise<number> {
  const opts = resolveRunOptions(flags, io.env, await loadConfigFile(io.cwd));
  const scenario = getScenario(name);
  const deployer = opts.deployer === REFERENCE ? defaultDeployerOf(referencesIn(scenario, opts.world, opts.deploymentId)) : opts.deployer;
  if (flags.step && !process.stdin.isTTY)
    throw new HarnessError(
      'INVALID_OPTION',
      '--step needs an interactive terminal (stdin is not a TTY)',
      'run it in a terminal, or leave --step out',
    );
  const display = io.env.DISPLAY || io.env.WAYLAND_DISPLAY;
  if (flags.headed && !display) io.err('note: --headed needs a display (no $DISPLAY or $WAYLAND_DISPLAY): the browser runs headless\n');
  const runsDir = `${io.cwd}/runs`;
  const app = opts.app ? await inspectApp(resolve(io.cwd, opts.app)) : undefined;
  const rl = flags.step ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  try {
    const report = await runScenario({
      scenario,
      deployer,
      bundler: opts.bundler,
      cdn: opts.cdn,
      world: opts.world,
      deploymentId: opts.deploymentId,
      runsDir,
      ...(app ? { app } : {}),
      traces: opts.trace,
      ...(opts.seed ? { seed: Number(opts.seed) } : {}),
      headless: !(flags.headed && display),
      log: (l) => io.err(`   ${l}\n`),
      rerun: `npx skew repro ${scenario.name} --deployer ${shellArg(deployer)} --cdn ${opts.cdn} --world ${opts.world}${opts.deploymentId === 'off' ? ' --deployment-id off' : ''} --bundler ${opts.bundler}${app ? ` --app ${shellArg(app.dir)}` : ''}`,
      ...(rl
        ? {
            beforeStep: async (i: number, label: string) =>
              void (await rl.question(`next: step ${i + 1}/${scenario.steps.length}: ${label} — press Enter `)),
          }
        : {}),
      ...(flags.keep
        ? {
            hold: async (up) => {
              io.out(summary(up.report));
              const file = await writeKept(runsDir, {
                runId: up.runId,
                pid: process.pid,
                edgeUrl: up.edgeUrl,
                origins: up.origins,
                deployRoot: up.deployRoot,
                runDir: up.report.runDir,
              });
              onCleanup(`kept record ${up.runId}`, () => removeKept(file));
              io.out(
                [
                  'The stack is up (verdict above is for the steps so far):',
                  ...(Object.keys(up.edgeUrls).length > 1
                    ? Object.entries(up.edgeUrls).map(([l, url]) => `  edge ${l.padEnd(9)} ${url}`)
                    : [`  edge:          ${up.edgeUrl}`]),
                  ...Object.entries(up.origins).map(([id, url]) => `  origin ${id}: ${url}`),
                  ...(up.platformUrl ? [`  platform API:  ${up.platformUrl}/status`] : []),
                  `  release store: ${up.deployRoot}`,
                  `  evidence:      ${up.report.runDir}`,
                  'Tear it down with Ctrl-C here, or `npx skew down` from another terminal.',
                  '',
                ].join('\n'),
              );
              // Held until a signal: bin/skew.mjs tears down and exits on SIGINT / SIGTERM.
              const keepAlive = setInterval(() => {}, 1 << 30);
              await new Promise<void>((res) => onInterrupt(res));
              clearInterval(keepAlive);
            },
          }
        : {}),
    });
    io.out(summary(report));
    return report.verdict === 'pass' ? EXIT.pass : report.verdict === 'fail' ? EXIT.fail : EXIT.inconclusive;
  } finally {
    rl?.close();
  }
}
