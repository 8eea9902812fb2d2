import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parseScenario } from '../scenario/parse.ts';
import type { Deployer } from '../deployers/deployer.ts';
import { loadDeployer } from '../deployers/load.ts';
import type { ScenarioReport } from '../run/report.ts';
import { type RunOptions, runScenario } from '../run/run-scenario.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { compile, describe, fuzzSequence, type FuzzAction } from './model.ts';

/** A deployer's name as scenario names take it: `./deploy.sh` → `deploy-sh`. */
export function scenarioSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'deployer'
  );
}

export interface FuzzOptions {
  deployer: string;
  seed: number;
  /** Random sequences to try before giving up (each is a real run). */
  runs: number;
  /** Real runs the shrinker may spend on making a failing sequence smaller. */
  shrinkRuns: number;
  /** Longest generated sequence. */
  maxActions: number;
  cdn?: CdnKind;
  /** The platform's vocabulary (splits, GC) for a deployer of your own; ours say so themselves. */
  platform?: boolean;
  runsDir: string;
  /** Where the failing scenario is written (`<outDir>/<name>.json`). */
  outDir: string;
  log?: (line: string) => void;
  /**
   * What judges one sequence: a real run (`runScenario`) unless a test gives a model of a
   * deployer, so the search, the shrinking and the written file are proven without a stack.
   */
  run?: (options: RunOptions) => Promise<ScenarioReport>;
}

export interface FuzzResult {
  seed: number;
  deployer: string;
  /** Real runs made: searching, then shrinking. */
  runs: number;
  /** The search runs by verdict: a fuzz whose every run was inconclusive found nothing either way. */
  verdicts: { pass: number; fail: number; inconclusive: number };
  shrinkRuns: number;
  ms: number;
  found?: {
    file: string;
    actions: FuzzAction[];
    original: FuzzAction[];
    report: ScenarioReport;
    failing: string[];
  };
}

/**
 * `skew fuzz`: random sequences of deploys, rollbacks, cleanups, clock moves, faults (purge API, origin, storage) and
 * tab actions (fast-check), each run against the real stack and judged by the same checks. The
 * first failing sequence is shrunk by fast-check — every candidate is a real run, within a
 * budget — and the smallest one that still fails is written out as a scenario for `skew run`.
 */
export async function runFuzz(o: FuzzOptions): Promise<FuzzResult> {
  const started = Date.now();
  const deployer: Deployer = await loadDeployer(o.deployer);
  const platform = o.platform ?? deployer.platform === true;
  const log = o.log ?? (() => {});
  let runs = 0;
  let searching = true;
  let shrinkRuns = 0;
  let firstFailure: FuzzAction[] | undefined;
  let smallest: { actions: FuzzAction[]; report: ScenarioReport } | undefined;
  // Many shrink candidates compile to the same steps: each distinct scenario runs once.
  const verdicts = new Map<string, boolean>();
  const counted = { pass: 0, fail: 0, inconclusive: 0 };
  // A scenario name takes lowercase words and dashes: `./deploy.sh` must not make every run invalid.
  const name = `fuzz-${scenarioSlug(deployer.name)}-${o.seed}`;
  const property = fc.asyncProperty(fuzzSequence(o.maxActions, platform), async (actions) => {
    const { scenario, kept } = compile(actions, name, { platform });
    const key = JSON.stringify(scenario.steps);
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    if (!searching && shrinkRuns >= o.shrinkRuns) return true; // budget spent: stop shrinking here
    if (searching) runs++;
    else shrinkRuns++;
    log(`${searching ? `run ${runs}/${o.runs}` : `shrink ${shrinkRuns}/${o.shrinkRuns}`}: ${kept.map(describe).join(', ')}`);
    const report = await (o.run ?? runScenario)({
      scenario: parseScenario(scenario, 'fuzz'),
      deployer,
      cdn: o.cdn ?? 'process',
      runsDir: o.runsDir,
      traces: 'off',
      seed: o.seed,
    });
    const failed = report.verdict === 'fail';
    if (searching && report.verdict !== 'interrupted') counted[report.verdict]++;
    log(
      `  → ${report.verdict}${
        failed
          ? `: ${report.checks
              .filter((c) => c.verdict === 'fail')
              .map((c) => c.check)
              .join(', ')}`
          : ''
      }`,
    );
    if (failed) {
      if (searching) firstFailure = kept;
      searching = false;
      if (!smallest || kept.length <= smallest.actions.length) smallest = { actions: kept, report };
    }
    verdicts.set(key, !failed);
    return !failed;
  });
  const details = await fc.check(property, { seed: o.seed, numRuns: o.runs, endOnFailure: false });
  // A property that threw (an invalid scenario, a harness error) ran nothing worth a verdict:
  // that is an error, never a PASS.
  if (details.failed && details.errorInstance !== undefined && !smallest) throw details.errorInstance;
  const judged = counted.pass + counted.fail + counted.inconclusive;
  if (judged === 0)
    throw new HarnessError(
      'INTERNAL',
      `skew fuzz ran no sequence against ${deployer.name} (seed ${o.seed})`,
      'this is a bug of skew: report it with the command line',
    );
  const result: FuzzResult = { seed: o.seed, deployer: deployer.name, runs, verdicts: counted, shrinkRuns, ms: Date.now() - started };
  if (!smallest || !firstFailure) return result;
  const { scenario } = compile(smallest.actions, name, { platform });
  const failing = smallest.report.checks.filter((c) => c.verdict === 'fail').map((c) => c.check);
  // The written scenario names the deployer it failed with as its broken reference.
  const written = { ...scenario, reference: { ...scenario.reference, broken: [{ deployer: deployer.name, fails: failing }] } };
  const dir = resolve(o.outDir);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${scenario.name}.json`);
  await writeFile(file, `${JSON.stringify(written, null, 2)}\n`);
  return {
    ...result,
    ms: Date.now() - started,
    found: { file, actions: smallest.actions, original: firstFailure, report: smallest.report, failing },
  };
}
