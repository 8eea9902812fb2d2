import { randomBytes } from 'node:crypto';
import { rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Stamped, toJSONL } from '../core/history.ts';
import type { Stack } from '../stack/stack.ts';
import { renderHtmlReport } from './html-report.ts';
import type { Judged } from './judge.ts';
import { writeJudgeInput } from './judge-input.ts';
import { toJUnit } from './junit.ts';
import type { ScenarioReport } from './report.ts';

/** File names of a run's evidence; `null` leaves one out. */
export interface EvidenceFiles {
  history: string | null;
  report: string | null;
  junit: string | null;
  html: string | null;
  rerun: string | null;
}

/** What `skew run` leaves in `runs/<id>/`. */
export const RUN_FILES: EvidenceFiles = {
  history: 'history.jsonl',
  report: 'report.json',
  junit: 'junit.xml',
  html: 'report.html',
  rerun: 'rerun.sh',
};

/**
 * Writes a run's evidence into `dir` (the history, the report as JSON, JUnit and an HTML
 * timeline, the rerun command, and judge.json when given) and returns the paths written, by kind. The one writer for
 * scenario runs, their A→A control and the Playwright fixtures.
 */
export async function writeEvidence(
  dir: string,
  events: readonly Stamped[],
  report: ScenarioReport,
  files: EvidenceFiles = RUN_FILES,
  /** What the checks were given besides the history: written as judge.json, for `skew judge`. */
  judged?: Omit<Judged, 'events'>,
): Promise<Partial<Record<keyof EvidenceFiles, string>>> {
  const written: Partial<Record<keyof EvidenceFiles, string>> = {};
  const put = async (kind: keyof EvidenceFiles, text: () => string, mode?: number) => {
    const name = files[kind];
    if (!name) return;
    const path = join(dir, name);
    await writeFile(path, text(), mode ? { mode } : {});
    written[kind] = path;
  };
  if (files.history) written.history = await writeHistory(dir, events, files.history);
  await put('report', () => `${JSON.stringify(report, null, 2)}\n`);
  await put('junit', () => toJUnit([report]));
  await put('html', () => renderHtmlReport(report, events));
  await put('rerun', () => `#!/bin/sh\n# Reruns this scenario exactly as it ran.\n${report.rerun}\n`, 0o755);
  if (judged) await writeJudgeInput(dir, judged, report.interrupted);
  return written;
}

/** The history alone, one event per line; returns its path. */
export async function writeHistory(dir: string, events: readonly Stamped[], name = RUN_FILES.history!): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, toJSONL(events));
  return path;
}

/**
 * `<runsDir>/latest` → `runDir`, replaced atomically (a reader never sees it missing). The
 * temporary name is unique per call: parallel workers of one process finish runs together.
 */
export async function pointLatest(runsDir: string, runDir: string): Promise<void> {
  const tmp = join(runsDir, `.latest-${process.pid}-${randomBytes(4).toString('hex')}`);
  await rm(tmp, { force: true });
  await symlink(runDir, tmp);
  await rename(tmp, join(runsDir, 'latest'));
}

/** The stack's process logs (nginx, origins) under `<runDir>/logs/`. */
export async function writeLogs(runDir: string, stack: Stack | undefined): Promise<void> {
  if (!stack) return;
  for (const [name, lines] of Object.entries(stack.logs())) await writeFile(join(runDir, 'logs', `${name}.log`), `${lines.join('\n')}\n`);
}
