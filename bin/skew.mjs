#!/usr/bin/env node
// Entry of the `skew` command. Runs the TypeScript CLI through tsx on Node >= 22.12, tears
// everything down on Ctrl-C, and is the only place that exits the process.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `error NODE_TOO_OLD: skew needs Node >= 22.12, this is ${process.version}\nhint: run it through npm/npx in this project (node_modules/.bin/node is Node 24), or run \`npm run setup\`\n`,
  );
  process.exit(69);
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../cli/main.ts');
const { pendingCleanups, runCleanups } = await import('../harness/io/cleanup.ts');
const { interrupt, signalExitCode } = await import('../harness/io/interrupt.ts');

/** How long the run may take, after the teardown, to write its interrupted report. */
const REPORT_GRACE_MS = 15_000;

// The first signal stops the work (the deployer's process group first, so it stops writing),
// tears the stack down, lets the run write its `interrupted` report, and exits 130 (SIGINT) or
// 143 (SIGTERM). A second signal exits at once and says what the teardown had not finished.
let signalled;
const done = main(process.argv.slice(2));
async function stop(sig, why) {
  if (signalled) {
    const left = pendingCleanups();
    process.stderr.write(
      `\n${sig} again: exiting now${left.length ? `, not torn down: ${left.join('; ')} (its processes are killed; \`npx skew down\` removes stale stacks)` : ''}\n`,
    );
    process.exit(signalExitCode(signalled));
  }
  signalled = sig;
  process.stderr.write(`\n${why}: stopping the deployer, then tearing down the stack… (${sig} again exits at once)\n`);
  interrupt(sig);
  const problems = await runCleanups();
  for (const p of problems) process.stderr.write(`  teardown: ${p}\n`);
  let timer;
  await Promise.race([done, new Promise((res) => (timer = setTimeout(res, REPORT_GRACE_MS)))]);
  clearTimeout(timer);
  process.exit(signalExitCode(sig));
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop(sig, sig));
// Whoever reads our stdout went away (`skew run | head -1`): as SIGPIPE would, but torn down.
process.stdout.on('error', (e) => {
  // Later writes fail the same way: only the first one stops the run (never as a second signal).
  if (e.code !== 'EPIPE') throw e;
  if (!signalled) void stop('SIGPIPE', 'stdout closed (EPIPE)');
});
const code = await done;
// A run interrupted mid-step often ends on its own first (its deployer or browser died under
// it): the signal handler still owns the exit code and exits when teardown is done.
if (!signalled) process.exit(code);
