import { availableParallelism, freemem } from 'node:os';
import { defaultDeployerOf, referencesIn, worldsOf } from '../../harness/core/scenario.ts';
import { loadDeployer } from '../../harness/deployers/load.ts';
import { DEPLOYERS } from '../../harness/deployers/registry.ts';
import { HarnessError } from '../../harness/errors/harness-error.ts';
import { diffOf, runMutate } from '../../harness/mutate/mutate.ts';
import { defaultWorkers } from '../../harness/run/workers.ts';
import { CATALOGUE, getScenario } from '../../scenarios/index.ts';
import { EXIT, type Io } from '../io.ts';

export interface MutateFlags {
  deployer?: string;
  maxMutants?: string;
  match?: string;
  workers?: string;
  seed?: string;
  json?: boolean;
  break?: string;
}

const whole = (flag: string, v: string | undefined, fallback: number, min: number, max: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new HarnessError('INVALID_OPTION', `${flag} = ${JSON.stringify(v)} is not valid`, `a whole number from ${min} to ${max}`);
  return n;
};

/**
 * `skew mutate`: the catalogue's detection power, measured on a deployer's mutants. By default
 * the pinned scenarios the deployer is the good reference of (a deployer of your own: those of
 * releases-symlink, the rollback document's script, or for a platform module those of additive-gc).
 */
export async function mutateCommand(io: Io, names: string[], flags: MutateFlags): Promise<number> {
  if (!flags.deployer)
    throw new HarnessError(
      'INVALID_OPTION',
      '--deployer is required',
      'name a deployer: --deployer releases-symlink, ./deploy.sh, additive-gc or ./deployer.ts',
    );
  const maxMutants = whole('--max-mutants', flags.maxMutants, 12, 1, 10_000);
  const workers = whole('--workers', flags.workers, defaultWorkers({ cores: availableParallelism(), freeMemBytes: freemem() }), 1, 64);
  const seed = whole('--seed', flags.seed, 1, 0, 2 ** 31 - 1);
  const threshold = flags.break === undefined ? undefined : whole('--break', flags.break, 0, 0, 100);
  const platform = !!(await loadDeployer(flags.deployer, io.cwd)).platform;
  const good = DEPLOYERS[flags.deployer] ? flags.deployer : platform ? 'additive-gc' : 'releases-symlink';
  const scenarios = names.length
    ? names.map(getScenario)
    : CATALOGUE.filter(
        (s) => worldsOf(s).includes('pinned') && !!s.platform === platform && defaultDeployerOf(referencesIn(s, 'pinned')) === good,
      );
  const report = await runMutate({
    deployer: flags.deployer,
    scenarios,
    maxMutants,
    ...(flags.match ? { match: flags.match } : {}),
    workers,
    seed,
    runsDir: `${io.cwd}/runs`,
    log: (l) => io.err(`${l}\n`),
  });
  const count = (s: string) => report.results.filter((r) => r.status === s).length;
  const pct = (report.score * 100).toFixed(0);
  if (flags.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const survivors = report.results.filter((r) => r.status === 'survived');
    io.out(
      [
        `mutation score ${pct} % for ${report.deployer}: ${count('killed')} killed, ${count('survived')} survived, ${count('errored')} errored (the deployer failed: left out of the score) of ${report.results.length} tried (${report.generated} generated, ${report.covered} on code the scenarios run) over ${report.scenarios.length} scenario(s)`,
        ...(survivors.length
          ? ['', 'survivors (deploy changes the catalogue does not see):', ...survivors.map((r) => diffOf(r.mutant))]
          : []),
        '',
        `report: ${report.dir}/report.json`,
        '',
      ].join('\n'),
    );
  }
  return threshold !== undefined && report.score * 100 < threshold ? EXIT.fail : EXIT.pass;
}
