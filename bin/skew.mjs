#!/usr/bin/env node
import { existsSync } from 'node:fs';
// Entry of the `skew` command. Runs the CLI on Node >= 22.12, tears
// everything down on Ctrl-C, and is the only place that exits the process.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `error NODE_TOO_OLD: skew needs Node >= 22.12, this is ${process.version}\nhint: run it through npm/npx in this project (node_modules/.bin/node is Node 24), or run \`npm run setup\`\n`,
  );
  process.exit(69);
}
// In this checkout the TypeScript sources run through tsx; the installed package ships only the
// compiled code (dist/, `npm run build`), which plain Node runs: no tsx, no type stripping under
// node_modules (Node refuses that).
const fromSources = existsSync(new URL('../harness/index.ts', import.meta.url));
if (fromSources) (await import('tsx/esm/api')).register();
const load = (path) => import(new URL(fromSources ? `../${path}.ts` : `../dist/${path}.js`, import.meta.url).href);
const { main } = await load('cli/main');
const { EXIT } = await load('cli/io');
const { closedStdoutWarning, flushStdout, lostAnswer, stdoutWrites } = await load('cli/output');
const { formatError } = await load('harness/errors/harness-error');
const { pendingCleanups, runCleanups } = await load('harness/io/cleanup');
const { exitNow, lastExitCall, outsideCaller } = await load('harness/io/exit-guard');
const { interrupt, signalExitCode } = await load('harness/io/interrupt');

/** How long the run may take, after the teardown, to write its interrupted report. */
const REPORT_GRACE_MS = 15_000;

// The first signal stops the work (the deployer's process group first, so it stops writing),
// tears the stack down, lets the run write its `interrupted` report, and exits 130 (SIGINT) or
// 143 (SIGTERM). A second signal exits at once and says what the teardown had not finished.
let signalled;
let settled = false;
// The last net: the process ending before the command settled (a process.exit the guard in
// main() did not catch, an uncaught error, nothing left to wait on) is never a success.
process.on('exit', (code) => {
  if (settled || signalled) return;
  process.exitCode = EXIT.internal;
  const called = lastExitCall();
  const caller = called ? undefined : outsideCaller(new Error().stack ?? '', import.meta.filename);
  process.stderr.write(
    `${
      called
        ? formatError(called)
        : `error ${caller ? 'EXIT_CALLED' : 'INTERNAL'}: skew ended (exit code ${code}) before the command finished${caller ? `: process.exit was called at ${caller}` : ''}: nothing was judged\nhint: a bug in skew or in the deployer module or config it ran (a promise that never settles?): report it with the output above`
    }\n`,
  );
});
const done = main(process.argv.slice(2));
async function stop(sig, why) {
  if (signalled) {
    const left = pendingCleanups();
    process.stderr.write(
      `\n${sig} again: exiting now${left.length ? `, not torn down: ${left.join('; ')} (its processes are killed; \`npx skew down\` removes stale stacks)` : ''}\n`,
    );
    exitNow(signalExitCode(signalled));
  }
  signalled = sig;
  // A reader gone after a command that runs nothing (`skew list --json | head -1`): quiet, as SIGPIPE is.
  if (sig !== 'SIGPIPE' || pendingCleanups().length)
    process.stderr.write(`\n${why}: stopping the deployer, then tearing down the stack… (${sig} again exits at once)\n`);
  interrupt(sig);
  const problems = await runCleanups();
  for (const p of problems) process.stderr.write(`  teardown: ${p}\n`);
  let timer;
  await Promise.race([done, new Promise((res) => (timer = setTimeout(res, REPORT_GRACE_MS)))]);
  clearTimeout(timer);
  exitNow(signalExitCode(sig));
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop(sig, sig));
// Whoever reads our stdout went away (`skew run | head -1`): as SIGPIPE would, but torn down.
process.stdout.on('error', (e) => {
  // Any other failure (a full disk) fails the command when it ends: see lostAnswer below.
  if (e.code !== 'EPIPE') {
    stdoutWrites.error ??= e;
    return;
  }
  // Later writes fail the same way: only the first one stops the run (never as a second signal).
  if (!signalled) void stop('SIGPIPE', 'stdout closed (EPIPE)');
});
// A stderr that takes nothing (2>/dev/full) leaves nowhere to say so: it must not crash the run.
process.stderr.on('error', () => {});
const code = await done;
settled = true;
// A slow reader of a pipe gets everything: exiting with writes queued would cut the answer short.
await flushStdout();
// A write's 'error' event (EPIPE: stop as SIGPIPE above) comes after its callback.
await new Promise((res) => setImmediate(res));
// A run interrupted mid-step often ends on its own first (its deployer or browser died under
// it): the signal handler still owns the exit code and exits when teardown is done.
if (!signalled) {
  const lost = lostAnswer();
  if (lost) process.stderr.write(`${formatError(lost)}\n`);
  const closed = closedStdoutWarning();
  if (closed) process.stderr.write(`${closed}\n`);
  // A verdict already failing keeps its code; a pass whose answer was lost is not a pass.
  exitNow(lost && code === EXIT.pass ? EXIT.environment : code);
}
