import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JUDGE_FILE } from '../harness/run/judge-input.ts';
import { rejudgeRun } from '../harness/run/rejudge.ts';
import { historyValidator } from '../test/history-schema.ts';
import { SESSION_MARK } from './global-setup.ts';
import { RUNS_DIR } from './support.ts';

/** Run folders (with a judge.json) under `dir`, at most `depth` folders down: e2e work folders hold runs of their own. */
function runFolders(dir: string, depth = 4): string[] {
  if (depth < 0 || !existsSync(dir)) return [];
  if (existsSync(join(dir, JUDGE_FILE))) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !['node_modules', '.next', 'stack', 'builds', 'logs'].includes(e.name))
    .flatMap((e) => runFolders(join(dir, e.name), depth - 1));
}

/**
 * After the e2e tier: every run it wrote is judged again from its history and judge.json
 * (`skew judge`), and must give the verdicts the run gave; every history it wrote must match
 * the published schema (docs/history.schema.json). A difference fails the tier.
 */
export default async function globalTeardown(): Promise<void> {
  if (!existsSync(SESSION_MARK)) return;
  const since = Number(readFileSync(SESSION_MARK, 'utf8'));
  const runs = runFolders(RUNS_DIR).filter((d) => statSync(join(d, JUDGE_FILE)).mtimeMs >= since);
  const validate = historyValidator();
  const problems: string[] = [];
  /** Witness sizes of every failed check, for the log line. */
  const sizes: number[] = [];
  for (const dir of runs) {
    const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as unknown);
    problems.push(
      ...validate(lines)
        .slice(0, 3)
        .map((p) => `${dir}: history.jsonl ${p}`),
    );
    const { changed, report } = await rejudgeRun(dir);
    if (changed.length) problems.push(`${dir}: judged again, ${changed.join('; ')}`);
    for (const c of report.checks) if (c.verdict === 'fail') sizes.push(c.witness?.events.length ?? -1);
  }
  sizes.sort((a, b) => a - b);
  console.log(
    `e2e teardown: ${runs.length} run(s) judged again, histories checked against docs/history.schema.json; ${sizes.length} failed check(s), witness sizes: median ${sizes[sizes.length >> 1] ?? '-'}, max ${sizes.at(-1) ?? '-'}${sizes.includes(-1) ? ' (some without a witness)' : ''}`,
  );
  if (problems.length) throw new Error(`runs that skew judge or the history schema disagree with:\n${problems.join('\n')}`);
}
