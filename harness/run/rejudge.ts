import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Verdict } from '../core/verdict.ts';
import { withControl } from './control-run.ts';
import { judge } from './judge.ts';
import { readRun } from './judge-input.ts';
import type { ScenarioReport } from './report.ts';

/** A run judged again, and how its verdicts compare with the ones the run gave. */
export interface Rejudged {
  report: ScenarioReport;
  /** What the run's own report.json said, when it is there. */
  before?: { verdict: Verdict | 'interrupted'; checks: { check: string; verdict: Verdict }[] };
  /** Each check (and the verdict) whose verdict changed: `cache-status: fail → pass`. */
  changed: string[];
}

/**
 * Judges a run folder again with today's checks, from its history and judge.json alone: nothing
 * is built, started or run. On unchanged code it gives the run's own verdicts; after a check
 * changed, it says what that change makes of yesterday's evidence. A run with --control is
 * weighed against its control judged again. The report keeps the run's
 * duration, profile and sandbox (facts of the run, not judgements).
 */
export async function rejudgeRun(dir: string): Promise<Rejudged> {
  const { input, events } = await readRun(dir);
  const j = input.judged;
  const judged = judge({ ...j, startedAt: new Date(j.startedAt), events, runDir: dir });
  const stored = await readFile(join(dir, 'report.json'), 'utf8').then(
    (t) => JSON.parse(t) as ScenarioReport,
    () => undefined,
  );
  // With --control the run's verdicts were weighed against its A→A control's: judged again too.
  const control = stored?.control ? await rejudgeRun(stored.control.runDir).catch(() => undefined) : undefined;
  const weighed = control ? withControl(judged, control.report) : judged;
  const report: ScenarioReport = {
    ...weighed,
    ...(input.interrupted ? { verdict: 'interrupted' as const, interrupted: input.interrupted } : {}),
    ...(stored ? { durationMs: stored.durationMs, ...pick(stored, ['profile', 'deployerSandbox']) } : {}),
  };
  if (!stored) return { report, changed: [] };
  const before = { verdict: stored.verdict, checks: stored.checks.map((c) => ({ check: c.check, verdict: c.verdict })) };
  const was = new Map(before.checks.map((c) => [c.check, c.verdict]));
  const changed = [
    ...(stored.verdict !== report.verdict ? [`verdict: ${stored.verdict} → ${report.verdict}`] : []),
    ...report.checks
      .filter((c) => was.get(c.check) !== c.verdict)
      .map((c) => `${c.check}: ${was.get(c.check) ?? 'not judged'} → ${c.verdict}`),
    ...before.checks.filter((c) => !report.checks.some((n) => n.check === c.check)).map((c) => `${c.check}: ${c.verdict} → not judged`),
  ];
  return { report, before, changed };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}
