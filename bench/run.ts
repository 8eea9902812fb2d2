/**
 * `npm run bench`: the performance figures of the vertical slice, printed with their ratios.
 * Targets live here, never in tests (the machines are shared and noisy):
 *   - cold build time per version (Turbopack; `--webpack` adds webpack);
 *   - warm `roll-forward` wall time, and its ratio to the floor it cannot beat
 *     (browser launch + the page loads it performs, measured bare in the same run);
 *   - peak memory of the whole process tree during the warm run;
 *   - rebuilds on an unchanged second run (must be 0);
 *   - each world's extra cost: the warm roll-forward in each other world (single-origin, rolling) against pinned;
 *   - load: 1,000 HTTP clients through a swap (0 errors) and the edge's throughput against bare
 *     nginx serving the same files (≥ 0.5×), see bench/load.ts;
 *   - the warm catalogue serial and on the default workers, its floor and ratios, and whether
 *     every check's verdict is the same both ways, see bench/catalogue.ts.
 *   - `skew --help`'s start-up from the installed package (compiled) against the checkout (tsx),
 *     see bench/startup.ts.
 * Parts alone: `-- --warm-only` (sections 2–3), `-- --load-only`, `-- --catalogue-only`,
 * `-- --startup-only`.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getBuild, REPO_ROOT, WORK_DIR } from '../harness/builds/build-cache.ts';
import { launchBrowser } from '../harness/browser/launch.ts';
import { getDeployer } from '../harness/deployers/registry.ts';
import { defaultDeployerOf, referencesIn, worldsOf } from '../harness/core/scenario.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { Stack } from '../harness/stack/stack.ts';
import { deployDirect } from '../test/deploy-direct.ts';
import { getScenario } from '../scenarios/index.ts';
import { benchLoad } from './load.ts';
import { benchCatalogue, pageLoadsOf } from './catalogue.ts';
import { benchStartup } from './startup.ts';

const WARM_RUNS = 3;
const TARGET_WARM_MS = 10_000;

async function main(): Promise<void> {
  const withWebpack = process.argv.includes('--webpack');
  const lines: string[] = [];
  const print = (l: string) => {
    lines.push(l);
    console.log(l);
  };
  // `npm run bench -- --load-only`: just the load figures (section 4).
  if (process.argv.includes('--load-only')) return benchLoad(print);
  if (process.argv.includes('--startup-only')) return benchStartup(print);
  // `npm run bench -- --catalogue-only`: just the catalogue's figures (section 5).
  if (process.argv.includes('--catalogue-only')) return benchCatalogue(print, measureFloor);

  // `npm run bench -- --warm-only`: just the warm roll-forward against its floor (sections 2–3).
  const warmOnly = process.argv.includes('--warm-only');
  // 1. Cold builds into a private cache (inside the repo: dependencies resolve from it).
  if (!warmOnly) await coldBuilds(print, withWebpack);

  // 2. Warm roll-forward: builds from the default cache (first run fills it if needed).
  const scenario = getScenario('roll-forward');
  const runsDir = join(REPO_ROOT, 'runs', 'bench');
  await runScenario({ scenario, deployer: 'releases-symlink', runsDir });
  const walls: number[] = [];
  const deployerMs: number[] = [];
  let rebuilds = 0;
  for (let i = 0; i < WARM_RUNS; i++) {
    const t = Date.now();
    const r = await runScenario({ scenario, deployer: 'releases-symlink', runsDir });
    walls.push(Date.now() - t);
    deployerMs.push(await deployerTime(r.runDir));
    rebuilds += Object.values(r.versions).filter((v) => !v.cached).length;
    if (r.verdict !== 'pass') print(`warning: warm run ${i + 1} verdict ${r.verdict}`);
  }
  const warm = median(walls);
  const ownDeployer = median(deployerMs);
  // Memory in a run of its own: reading every process's smaps costs CPU the timed runs should not pay.
  let peakKb = 0;
  const sampler = sampleTreeRss((kb) => (peakKb = Math.max(peakKb, kb)));
  await runScenario({ scenario, deployer: 'releases-symlink', runsDir });
  sampler.stop();

  // 3. The floor: what the scenario's browser work costs with nothing else around it.
  const pageLoads = pageLoadsOf(scenario);
  const floor = await measureFloor(pageLoads);

  print(
    `warm roll-forward: median ${(warm / 1000).toFixed(2)} s over ${WARM_RUNS} runs (${walls.map((w) => (w / 1000).toFixed(2)).join(', ')}); target ≤ ${TARGET_WARM_MS / 1000} s → ${warm <= TARGET_WARM_MS ? 'met' : 'MISSED'}`,
  );
  print(
    `floor: browser launch ${floor.launchMs} ms + ${pageLoads} page loads × ${floor.pageMs.toFixed(0)} ms = ${(floor.totalMs / 1000).toFixed(2)} s`,
  );
  print(`ratio warm / floor: ${(warm / floor.totalMs).toFixed(2)}× (goal ≤ 1.3×)`);
  // The deployer under test is not skew's to speed up: what is left without its own time.
  print(
    `of which the deployer's own processes: median ${(ownDeployer / 1000).toFixed(2)} s; (warm − deployer) / floor: ${((warm - ownDeployer) / floor.totalMs).toFixed(2)}×`,
  );
  print(`peak memory, PSS of the process tree (harness + nginx + origins + Chromium): ${(peakKb / 1024).toFixed(0)} MB`);
  print(`rebuilds on unchanged runs: ${rebuilds}`);

  if (warmOnly) return;

  // 3b. What each world costs beyond pinned: the same scenario with that world's good deployer.
  for (const world of worldsOf(scenario).filter((w) => w !== 'pinned')) {
    const deployer = defaultDeployerOf(referencesIn(scenario, world));
    await runScenario({ scenario, deployer, world, runsDir });
    const worldWalls: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const t = Date.now();
      const r = await runScenario({ scenario, deployer, world, runsDir });
      worldWalls.push(Date.now() - t);
      if (r.verdict !== 'pass') print(`warning: ${world} run ${i + 1} verdict ${r.verdict}`);
    }
    const w = median(worldWalls);
    print(
      `warm roll-forward in ${world} (${deployer}): median ${(w / 1000).toFixed(2)} s over ${WARM_RUNS} runs; ${(w / warm).toFixed(2)}× pinned (${((w - warm) / 1000).toFixed(2)} s extra)`,
    );
  }
  await rm(runsDir, { recursive: true, force: true });

  // 4. Load: 1,000 clients through a swap, and the edge's throughput against bare nginx.
  await benchLoad(print);

  // 5. The catalogue: serial and parallel wall time, its floor, verdicts compared.
  await benchCatalogue(print, measureFloor);

  // 6. Start-up: the installed package against the checkout.
  await benchStartup(print);
}

async function coldBuilds(print: (line: string) => void, withWebpack: boolean): Promise<void> {
  await mkdir(join(REPO_ROOT, 'builds'), { recursive: true });
  const coldDir = await mkdtemp(join(REPO_ROOT, 'builds', '.bench-'));
  // Truly cold: drop the bundler cache the build cache keeps between builds (it is only a cache).
  await rm(join(WORK_DIR, 'app', 'next-cache'), { recursive: true, force: true });
  try {
    for (const bundler of withWebpack ? (['turbopack', 'webpack'] as const) : (['turbopack'] as const)) {
      for (const variant of ['A', 'B']) {
        const t = Date.now();
        const b = await getBuild({ variant, bundler, buildsDir: coldDir });
        print(
          `cold build ${variant} (${bundler}): ${((Date.now() - t) / 1000).toFixed(1)} s (next build alone ${(b.buildMs / 1000).toFixed(1)} s)`,
        );
      }
    }
  } finally {
    await rm(coldDir, { recursive: true, force: true });
  }
}

/** Bare cost of the browser work: launch once, then `n` fresh contexts each loading a page through a real edge. */
async function measureFloor(n: number): Promise<{ launchMs: number; pageMs: number; totalMs: number }> {
  await mkdir(join(REPO_ROOT, 'runs'), { recursive: true });
  const dir = await mkdtemp(join(REPO_ROOT, 'runs', '.bench-floor-'));
  const stack = await Stack.start({ dir, cdn: 'process', runId: 'bench-floor' });
  try {
    const build = await getBuild({ variant: 'A' });
    await deployDirect(getDeployer('releases-symlink'), stack, build);
    const t0 = Date.now();
    const browser = await launchBrowser();
    const launchMs = Date.now() - t0;
    const loads: number[] = [];
    for (let i = 0; i < n + 1; i++) {
      const t = Date.now();
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`${stack.url}/`, { waitUntil: 'load' });
      await ctx.close();
      if (i > 0) loads.push(Date.now() - t); // the first load warms the edge cache
    }
    await browser.close();
    const pageMs = median(loads);
    return { launchMs, pageMs, totalMs: launchMs + n * pageMs };
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Samples the memory of this process and all its descendants from /proc every 250 ms. PSS, not
 * RSS: Chromium's and Node's processes share pages, and RSS would count them once per process.
 */
function sampleTreeRss(onSample: (kb: number) => void): { stop(): void } {
  const timer = setInterval(() => void treeRssKb(process.pid).then(onSample, () => {}), 250);
  return { stop: () => clearInterval(timer) };
}

async function treeRssKb(root: number): Promise<number> {
  const parents = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const status = await readFile(`/proc/${name}/status`, 'utf8').catch(() => '');
    const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? -1);
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    rss.set(Number(name), kb);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? rss.get(pid) ?? 0);
    stack.push(...(parents.get(pid) ?? []));
  }
  return total;
}

/** The deployer processes' own wall time in a run (its `deployer` events, from its history). */
async function deployerTime(runDir: string): Promise<number> {
  const text = await readFile(join(runDir, 'history.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.includes('"type":"deployer"'))
    .reduce((a, l) => a + ((JSON.parse(l) as { ms?: number }).ms ?? 0), 0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

await main();
