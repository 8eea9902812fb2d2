import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Stamped } from '../core/history.ts';
import { combine, type CheckResult } from '../core/verdict.ts';
import { pointLatest, RUN_FILES, writeEvidence } from './evidence.ts';
import type { ScenarioReport } from './report.ts';

/**
 * The experiment (A→B) and its control (A→A: every version is A's build, deployed again by the
 * same deployer, with the same seed and faults), then one verdict: a check the control fails
 * too failed for a reason that is not skew (a fault that breaks any deploy, a flaky machine),
 * so it is inconclusive, never a fail. Failures only the experiment shows stay failures.
 */
/** What the control needs of a run's options (runScenario's RunOptions). */
export interface ControlledRun {
  scenario: { name: string; versions: string[] };
  control?: boolean;
  asControl?: boolean;
  seed?: number;
  rerun?: string;
  log?: (line: string) => void;
}

export async function runWithControl<O extends ControlledRun>(opts: O, run: (o: O) => Promise<ScenarioReport>): Promise<ScenarioReport> {
  const { control: _, ...rest } = opts;
  const experiment = await run(rest as O);
  opts.log?.(`control: ${opts.scenario.name} again with every version as ${opts.scenario.versions[0]} (seed ${experiment.seed})`);
  const control = await run({
    ...rest,
    asControl: true,
    ...(experiment.seed !== undefined ? { seed: experiment.seed } : {}),
    rerun: '',
  } as O);
  const report = withControl(experiment, control);
  await rewriteEvidence(report);
  return report;
}

/** The experiment's run directory gets the combined report; runs/latest points at it again. */
async function rewriteEvidence(report: ScenarioReport): Promise<void> {
  const dir = report.runDir;
  const events = (await readFile(join(dir, RUN_FILES.history!), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Stamped);
  await writeEvidence(dir, events, report);
  await pointLatest(dirname(dir), dir);
}

/** Pure: the experiment's report judged against its control's. */
export function withControl(experiment: ScenarioReport, control: ScenarioReport): ScenarioReport {
  const checks: CheckResult[] = experiment.checks.map((c) => {
    const k = control.checks.find((x) => x.check === c.check);
    if (c.verdict !== 'fail' || k?.verdict !== 'fail') return c;
    return {
      check: c.check,
      verdict: 'inconclusive',
      evidence: [
        `the A→A control fails this check too, so this is noise, not skew (control: ${k.evidence[0] ?? 'no evidence'})`,
        ...c.evidence,
      ],
    };
  });
  return {
    ...experiment,
    verdict: combine(checks.map((c) => c.verdict)),
    checks,
    rerun: experiment.rerun && !experiment.rerun.includes('--control') ? `${experiment.rerun} --control` : experiment.rerun,
    control: {
      verdict: control.verdict,
      runDir: control.runDir,
      checks: control.checks.map((c) => ({ check: c.check, verdict: c.verdict })),
    },
  };
}
