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
const { runCleanups } = await import('../harness/io/cleanup.ts');

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${sig}: tearing down the stack…\n`);
    const problems = await runCleanups();
    for (const p of problems) process.stderr.write(`  teardown: ${p}\n`);
    process.exit(130);
  });
}
const code = await main(process.argv.slice(2));
// A run interrupted mid-step often ends on its own first (its deployer or browser died under
// it): the signal handler still owns the exit code and exits 130 when teardown is done.
if (!interrupted) process.exit(code);
