import { relative } from 'node:path';
import { loadConfigFile } from '../../harness/config/config-file.ts';
import { resolveFuzzOptions } from '../../harness/config/options.ts';
import { randomSeed } from '../../harness/faults/rng.ts';
import { runFuzz } from '../../harness/fuzz/fuzz.ts';
import { describe } from '../../harness/fuzz/model.ts';
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

/** `skew fuzz`: random sequences against the real stack; a failure is shrunk and written as a scenario. */
export async function fuzzCommand(io: Io, flags: FuzzFlags): Promise<number> {
  // The same layers as `skew run` (defaults < skew.config.ts < SKEW_* < flags), validated once.
  const o = resolveFuzzOptions(flags, io.env, await loadConfigFile(io.cwd));
  const seed = o.seed ? Number(o.seed) : randomSeed();
  io.err(`fuzz ${o.deployer}: seed ${seed}, up to ${o.runs} sequences of up to ${o.maxActions} actions, ${o.shrink} shrink runs\n`);
  const r = await runFuzz({
    deployer: o.deployer,
    seed,
    runs: o.runs,
    shrinkRuns: o.shrink,
    maxActions: o.maxActions,
    cdn: o.cdn,
    ...(o.platform ? { platform: true } : {}),
    runsDir: `${io.cwd}/runs`,
    outDir: `${io.cwd}/${o.out}`,
    log: (l) => io.err(`  ${l}\n`),
  });
  const v = r.verdicts;
  const took = `${r.runs} run(s): ${v.pass} pass, ${v.fail} fail, ${v.inconclusive} inconclusive; ${r.shrinkRuns} shrink run(s); ${(r.ms / 1000).toFixed(0)} s`;
  if (!r.found) {
    // Runs the deployer could not finish judged nothing: all of them inconclusive is no PASS.
    if (v.pass === 0) {
      io.out(`INCONCLUSIVE  no sequence of ${r.deployer} could be judged (seed ${seed}, ${took}); see the runs' reports under runs/\n`);
      return EXIT.inconclusive;
    }
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
