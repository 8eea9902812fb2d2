import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/builds/build-cache.ts';

/**
 * `skew --help`'s start-up, as a checkout runs it (bin/skew.mjs: the TypeScript sources through
 * tsx) and as the installed package does (the compiled dist/ on plain Node, no tsx): the median
 * of RUNS each, and their ratio. Target: the package starts in at most 0.8× the checkout's time.
 */
const RUNS = 5;
const TARGET_RATIO = 0.8;

export async function benchStartup(print: (line: string) => void): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'ignore' });
  const sources = timed([join(REPO_ROOT, 'bin/skew.mjs'), '--help']);
  // What the package's bin does once dist/ is all there is: import the compiled CLI and run it.
  const compiled = timed([
    '--input-type=module',
    '-e',
    `const { main } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/cli/main.js'))}); process.exitCode = await main(['--help'], { env: {}, cwd: process.cwd(), out: () => {}, err: () => {}, isTTY: false });`,
  ]);
  const ratio = compiled / sources;
  print(
    `start-up (skew --help): package (dist/, plain node) ${compiled} ms, checkout (sources via tsx) ${sources} ms, median of ${RUNS}: ${ratio.toFixed(2)}×; target ≤ ${TARGET_RATIO}× → ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'}`,
  );
}

function timed(args: string[]): number {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    execFileSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'ignore' });
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return Math.round(ms[Math.floor(RUNS / 2)]!);
}
