import { relative } from 'node:path';
import type { CdnKind } from '../../harness/cdn/runtime.ts';
import { HarnessError } from '../../harness/errors/harness-error.ts';
import { describe } from '../../harness/fuzz/model.ts';
import { runFuzz } from '../../harness/fuzz/fuzz.ts';
import { randomSeed } from '../../harness/faults/rng.ts';
import { EXIT, type Io } from '../io.ts';

export interface FuzzFlags {
  deployer?: string;
  seed?: string;
  runs?: string;
  shrink?: string;
  maxActions?: string;
  cdn?: string;
  out?: string;
  platform?: boolean;
}

function whole(flag: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new HarnessError('INVALID_OPTION', `--${flag} ${value} is not valid`, `a whole number from 0 to ${max}`);
  return n;
}

/** `skew fuzz`: random sequences against the real stack; a failure is shrunk and written as a scenario. */
export async function fuzzCommand(io: Io, flags: FuzzFlags): Promise<number> {
  if (!flags.deployer)
    throw new HarnessError(
      'INVALID_OPTION',
      'skew fuzz needs --deployer',
      'name the deployer to fuzz: one of `skew list`, or a path to yours',
    );
  const seed = whole('seed', flags.seed, randomSeed(), 0x7fffffff);
  const runs = whole('runs', flags.runs, 10, 10_000);
  const shrinkRuns = whole('shrink', flags.shrink, 15, 10_000);
  const maxActions = whole('max-actions', flags.maxActions, 8, 50);
  const cdn = (flags.cdn ?? 'process') as CdnKind;
  if (cdn !== 'process' && cdn !== 'container')
    throw new HarnessError('INVALID_OPTION', `--cdn ${flags.cdn} is not valid`, 'process or container');
  io.err(`fuzz ${flags.deployer}: seed ${seed}, up to ${runs} sequences of up to ${maxActions} actions, ${shrinkRuns} shrink runs\n`);
  const r = await runFuzz({
    deployer: flags.deployer,
    seed,
    runs,
    shrinkRuns,
    maxActions,
    cdn,
    ...(flags.platform ? { platform: true } : {}),
    runsDir: `${io.cwd}/runs`,
    outDir: `${io.cwd}/${flags.out ?? 'fuzz'}`,
    log: (l) => io.err(`  ${l}\n`),
  });
  const took = `${r.runs} run(s) + ${r.shrinkRuns} shrink run(s) in ${(r.ms / 1000).toFixed(0)} s`;
  if (!r.found) {
    io.out(`PASS  no failing sequence for ${r.deployer} (seed ${seed}, ${took})\n`);
    return EXIT.pass;
  }
  const file = relative(io.cwd, r.found.file) || r.found.file;
  io.out(
    [
      `FAIL  ${r.deployer} fails ${r.found.failing.join(', ')} (seed ${seed}, ${took})`,
      `  found:   ${r.found.original.map(describe).join(' → ')}`,
      `  shrunk:  ${r.found.actions.map(describe).join(' → ')}`,
      `  written: ${file}`,
      `  rerun:   npx skew run ${file} --deployer ${r.deployer}`,
      '',
    ].join('\n'),
  );
  return EXIT.fail;
}
