/**
 * The catalogue's figures (issue 17): the warm catalogue as `skew run` runs it, serial and with
 * the default workers, every check's verdict compared between the two; the catalogue's floor
 * (one browser launch plus every scenario's page loads, each in a fresh context, measured bare);
 * and the ratios.
 */
import { availableParallelism, freemem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/builds/build-cache.ts';
import { defaultDeployerOf, deploymentIdsOf, referencesIn, worldsOf } from '../harness/core/scenario.ts';
import type { ScenarioReport } from '../harness/run/report.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { defaultWorkers } from '../harness/run/workers.ts';
import { runWithBrowsers } from '../harness/run/browser-workers.ts';
import type { Scenario } from '../harness/scenario/parse.ts';
import { CATALOGUE } from '../scenarios/index.ts';

/** Steps that load a whole document in a browser (what the floor counts). */
const PAGE_LOADS = new Set(['openSession', 'openStaleSession', 'navigate', 'refresh', 'reload', 'visit']);

export function pageLoadsOf(scenario: Scenario): number {
  return scenario.steps.filter((s) => PAGE_LOADS.has(s.kind)).length;
}

/** What `skew run` runs with no names: the pinned world's scenarios with deployment ids. */
export const DEFAULT_CATALOGUE = CATALOGUE.filter((s) => worldsOf(s).includes('pinned') && deploymentIdsOf(s).includes('on'));

export interface CatalogueRun {
  wallMs: number;
  reports: ScenarioReport[];
}

/** The catalogue with each scenario's good reference deployer, on `workers` workers, one browser each. */
export async function runCatalogue(workers: number, runsDir: string): Promise<CatalogueRun> {
  const t = Date.now();
  const reports = await runWithBrowsers(DEFAULT_CATALOGUE, workers, (scenario, _i, _w, browsers) =>
    runScenario({ scenario, deployer: defaultDeployerOf(referencesIn(scenario, 'pinned', 'on')), runsDir, traces: 'off', browsers }),
  );
  return { wallMs: Date.now() - t, reports };
}

/** Every check whose verdict differs between two runs of the catalogue, one line each. */
export function verdictDifferences(a: readonly ScenarioReport[], b: readonly ScenarioReport[]): string[] {
  const out: string[] = [];
  for (const [i, ra] of a.entries()) {
    const rb = b[i]!;
    if (ra.verdict !== rb.verdict) out.push(`${ra.scenario}: ${ra.verdict} serial, ${rb.verdict} parallel`);
    for (const c of ra.checks) {
      const other = rb.checks.find((x) => x.check === c.check)?.verdict ?? 'missing';
      if (other !== c.verdict) out.push(`${ra.scenario} / ${c.check}: ${c.verdict} serial, ${other} parallel`);
    }
  }
  return out;
}

export async function benchCatalogue(
  print: (line: string) => void,
  floorOf: (pageLoads: number) => Promise<{ launchMs: number; pageMs: number }>,
): Promise<void> {
  const runsDir = join(REPO_ROOT, 'runs', 'bench-catalogue');
  const workers = defaultWorkers({ cores: availableParallelism(), freeMemBytes: freemem() });
  // Warm-up: the builds every scenario needs are made (or found) before anything is timed.
  await runCatalogue(workers, runsDir);
  const serial = await runCatalogue(1, runsDir);
  const parallel = await runCatalogue(workers, runsDir);
  const loads = DEFAULT_CATALOGUE.reduce((a, s) => a + pageLoadsOf(s), 0);
  const f = await floorOf(1);
  const floorMs = f.launchMs + loads * f.pageMs;
  const s = serial.wallMs / 1000;
  const p = parallel.wallMs / 1000;
  print(
    `warm catalogue (${DEFAULT_CATALOGUE.length} scenarios, reference deployers): serial ${s.toFixed(1)} s; ${workers} workers ${p.toFixed(1)} s; ratio ${(s / p).toFixed(2)}×`,
  );
  print(
    `catalogue floor: one launch ${f.launchMs} ms + ${loads} page loads × ${f.pageMs.toFixed(0)} ms = ${(floorMs / 1000).toFixed(1)} s; warm catalogue / floor: serial ${(serial.wallMs / floorMs).toFixed(2)}×, ${workers} workers ${(parallel.wallMs / floorMs).toFixed(2)}×`,
  );
  print(`goal 90 s on 2 cores: ${p <= 90 ? 'met' : `MISSED by ${(p - 90).toFixed(0)} s (${(p / 90).toFixed(2)}×)`}`);
  const diffs = verdictDifferences(serial.reports, parallel.reports);
  print(
    diffs.length
      ? `verdicts serial vs parallel: ${diffs.length} difference(s): ${diffs.join('; ')}`
      : `verdicts serial vs parallel: identical (${serial.reports.length} scenarios, ${serial.reports.reduce((a, r) => a + r.checks.length, 0)} checks)`,
  );
  // Where a scenario's time goes, summed over the serial catalogue (the phases' kinds).
  const byKind = new Map<string, number>();
  for (const r of serial.reports)
    for (const ph of r.profile ?? []) {
      const kind = ph.phase.startsWith('step ') ? ph.phase.replace(/^step \d+: (\S+).*$/, 'step $1') : ph.phase;
      byKind.set(kind, (byKind.get(kind) ?? 0) + ph.ms);
    }
  const top = [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 8);
  print(`serial catalogue by phase: ${top.map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
}
