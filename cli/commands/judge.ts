import { resolve } from 'node:path';
import { type Rejudged, rejudgeRun } from '../../harness/run/rejudge.ts';
import { EXIT, type Io } from '../io.ts';
import { summary } from './run.ts';

export interface JudgeFlags {
  json?: boolean;
}

/**
 * `skew judge <run folder>…`: each run judged again with today's checks from its history and
 * judge.json (nothing built or started), its verdicts compared with the ones the run gave.
 * The exit code is the one `skew run` gives for the new verdicts.
 */
export async function judgeCommand(io: Io, dirs: string[], opts: JudgeFlags): Promise<number> {
  const results: Rejudged[] = [];
  for (const dir of dirs) results.push(await rejudgeRun(resolve(io.cwd, dir)));
  if (opts.json) {
    const out = results.map((r) => ({ ...r.report, rejudged: { changed: r.changed, ...(r.before ? { before: r.before } : {}) } }));
    io.out(`${JSON.stringify(out.length === 1 ? out[0] : out, null, 2)}\n`);
  } else
    for (const r of results) {
      io.out(summary(r.report));
      io.out(
        !r.before
          ? '  judged again; the run left no report.json to compare with\n\n'
          : r.changed.length
            ? `  changed since the run: ${r.changed.join('; ')}\n\n`
            : '  judged again: the same verdicts as the run\n\n',
      );
    }
  const verdicts = results.map((r) => r.report.verdict);
  if (verdicts.includes('fail')) return EXIT.fail;
  if (verdicts.includes('interrupted')) return EXIT.interrupted;
  if (verdicts.includes('inconclusive')) return EXIT.inconclusive;
  return EXIT.pass;
}
