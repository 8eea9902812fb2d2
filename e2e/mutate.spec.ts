import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { MutateReport } from '../harness/mutate/mutate.ts';
import { fullTier, leftovers, skew, workDir } from './support.ts';

test('skew mutate: the unchanged deployer passes first, a mutant is judged, the score and the survivors are reported', async () => {
  test.setTimeout(5 * 60_000);
  const cwd = workDir('mutate');
  // One mutant in the PR tier (each is a real run); the TypeScript module test below judges two nightly.
  const r = await skew(['mutate', '--deployer', 'releases-symlink', 'roll-forward', '--max-mutants', '1', '--json'], cwd);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain('the unchanged deployer passes every scenario');
  expect(r.stderr).toMatch(
    /releases-symlink: \d+ mutant\(s\) of releases-symlink\.sh, lib\.sh, \d+ on code the scenarios run; trying 1 against 1 scenario\(s\)/,
  );
  const report = JSON.parse(r.stdout) as MutateReport;
  expect(report.results).toHaveLength(1);
  expect(report.covered).toBeLessThan(report.generated);
  for (const m of report.results) {
    expect(['killed', 'survived', 'errored']).toContain(m.status);
    // A mutant that did not survive names the scenario and what failed.
    if (m.status !== 'survived') expect(m.by?.scenario).toBe('roll-forward');
  }
  expect(existsSync(join(report.dir, 'report.json'))).toBe(true);
  expect(JSON.parse(readFileSync(join(report.dir, 'report.json'), 'utf8')).score).toBe(report.score);
  expect(leftovers(cwd)).toEqual([]);
});

test('skew mutate on a TypeScript module deployer: region coverage, then its mutants on the platform', async () => {
  test.skip(
    !fullTier(),
    'nightly tier: the shell deployer test above runs mutants for real in the PR tier; harness/mutate/ts-operators.test.ts and ts-coverage.test.ts prove the TypeScript mutants and region coverage',
  );
  test.setTimeout(5 * 60_000);
  const cwd = workDir('mutate-module');
  const r = await skew(['mutate', '--deployer', 'additive-gc', 'traffic-read-fails', '--max-mutants', '2', '--json'], cwd);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(
    /additive-gc: \d+ mutant\(s\) of additive-gc\.ts, lib\.ts, plan\.ts, \d+ on code the scenarios run; trying 2 against 1 scenario\(s\)/,
  );
  const report = JSON.parse(r.stdout) as MutateReport;
  expect(report.files).toEqual(['additive-gc.ts', 'lib.ts', 'plan.ts']);
  // The mistake flags only broken deployers set are never reached by the good one.
  expect(report.covered).toBeLessThan(report.generated);
  expect(report.results).toHaveLength(2);
  for (const m of report.results) if (m.status !== 'survived') expect(m.by?.scenario).toBe('traffic-read-fails');
  expect(leftovers(cwd)).toEqual([]);
});
