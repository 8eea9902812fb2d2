import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parseScenario } from '../harness/scenario/parse.ts';
import type { ScenarioReport } from '../harness/run/report.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { getScenario } from '../scenarios/index.ts';
import { fullTier, leftovers, skew, workDir } from './support.ts';

/**
 * Faults through the real CLI. The catalogue spec already runs every fault scenario with its good
 * and broken reference deployer; here: the A→A control separates noise from skew, and the seed
 * is reported and carried into the rerun command.
 */
test('--control: failures the A→A control shows too are inconclusive, the stale build new visitors get stays a fail', async () => {
  test.setTimeout(4 * 60_000);
  const cwd = workDir('control');
  const r = await skew(['run', 'purge-rate-limited', '--deployer', 'purge-fire-and-forget', '--control', '--seed', '4242', '--json'], cwd);
  expect(r.code, r.stderr).toBe(1);
  const report = JSON.parse(r.stdout) as ScenarioReport;
  const verdicts = Object.fromEntries(report.checks.map((c) => [c.check, c.verdict]));
  // The deployer ignores the 429 in both runs: its purge check and the lingering HIT are noise…
  expect(verdicts).toMatchObject({ 'purges-confirmed': 'inconclusive', 'cache-status': 'inconclusive', 'new-sessions-current': 'fail' });
  expect(report.checks.find((c) => c.check === 'cache-status')!.evidence[0]).toMatch(
    /^the A→A control fails this check too, so this is noise, not skew \(control: \/ after deploy B: HIT with Age \d+/,
  );
  // …but only the experiment sends new visitors an old build: that is skew.
  expect(report.checks.find((c) => c.check === 'new-sessions-current')!.evidence.join('\n')).toContain('shows version A, expected B');
  expect(report.control).toMatchObject({
    verdict: 'fail',
    checks: expect.arrayContaining([{ check: 'new-sessions-current', verdict: 'pass' }]),
  });
  expect(report.control!.runDir).toContain('-control-');
  // The seed is the one asked for, the rerun repeats it, and the experiment's evidence holds the combined report.
  expect(report.seed).toBe(4242);
  expect(report.rerun).toMatch(/--seed 4242 --control$/);
  expect(JSON.parse(readFileSync(join(report.runDir, 'report.json'), 'utf8'))).toMatchObject({
    verdict: 'fail',
    control: { verdict: 'fail' },
  });
  expect(readlinkSync(join(cwd, 'runs', 'latest'))).toBe(report.runDir);
  // The faults lane shows the injection and its heal.
  const history = readFileSync(join(report.runDir, 'history.jsonl'), 'utf8');
  expect(history).toContain('"type":"fault","fault":"purge-rate-limit","id":"purge-rate-limit","area":"purge-api","phase":"inject"');
  expect(history).toContain('"phase":"heal"');
  expect(readFileSync(join(report.runDir, 'report.html'), 'utf8')).toContain('class="fault"');
  expect(leftovers(cwd)).toEqual([]);
});

test('two edge locations: a purge that never reached iad shows there, in the checks and in skew probe', async () => {
  test.setTimeout(4 * 60_000);
  const cwd = workDir('locations');
  const base = getScenario('purge-some-locations');
  const scenario = parseScenario(
    {
      ...base,
      name: 'purge-never-reaches-iad',
      steps: [
        { kind: 'deploy', version: 'A' },
        { kind: 'probe', label: 'html-after-A', paths: ['/', '/'], location: 'each' },
        { kind: 'inject', fault: 'purge-partial', params: { locations: ['iad'], delayMs: 0 } },
        { kind: 'deploy', version: 'B' },
        { kind: 'heal', fault: 'purge-partial' },
        { kind: 'probe', label: 'html-after-B', paths: ['/', '/'], location: 'each' },
      ],
      checks: ['cache-status'],
      reference: { good: 'releases-symlink', broken: [{ deployer: 'purge-fire-and-forget', fails: ['cache-status'] }] },
    },
    'e2e',
  );
  let probe: Awaited<ReturnType<typeof skew>> | undefined;
  const report = await runScenario({
    scenario,
    deployer: 'purge-fire-and-forget',
    runsDir: join(cwd, 'runs'),
    // The stack as it stands after the last step: the same page through both locations.
    hold: async (up) => {
      probe = await skew(['probe', `${up.edgeUrls.fra}/`, `${up.edgeUrls.iad}/`], cwd);
    },
  });
  expect(report.verdict).toBe('fail');
  const evidence = report.checks[0]!.evidence.join('\n');
  expect(evidence).toMatch(
    /\[iad\] \/ after deploy B: HIT with Age \d+, expected MISS with Age 0 \(the HTML purge did not reach this location\)/,
  );
  expect(evidence).not.toContain('[fra] / after deploy B');
  expect(probe!.code, probe!.stderr).toBe(1);
  expect(probe!.stdout).toMatch(/FAIL {2}the locations serve different builds: \S+ b-\w+, \S+ a-\w+/);
  expect(leftovers(cwd)).toEqual([]);
});

test('skew fuzz finds, shrinks and writes out a failing sequence for a broken deployer; skew run of the file reproduces it', async () => {
  test.skip(
    !fullTier(),
    'nightly tier: harness/fuzz/fuzz.test.ts proves the search, the shrinking within its budget and the written file on a model of this deployer; "skew fuzz with a deployer file" runs real sequences in the PR tier',
  );
  test.setTimeout(6 * 60_000);
  const cwd = workDir('fuzz');
  // Seed 11 finds the failure on its third sequence; 6 shrink runs prove the shrinking (the
  // nightly's own fuzz spends 15).
  const r = await skew(['fuzz', '--deployer', 'replace-in-place', '--seed', '11', '--shrink', '6'], cwd);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toMatch(/^FAIL {2}replace-in-place fails \S*no-chunk-load-error/);
  const file = /written: (\S+)/.exec(r.stdout)![1]!;
  const shrunk = /shrunk: +(.+)/.exec(r.stdout)![1]!;
  const found = /found: +(.+)/.exec(r.stdout)![1]!;
  // Shrunk: never longer than what was found, and still a deploy, a tab and another deploy.
  expect(shrunk.split(' → ').length).toBeLessThanOrEqual(found.split(' → ').length);
  expect(shrunk).toMatch(/^deploy [ABC] → open a (app|pages) tab → deploy [ABC]/);
  const scenario = JSON.parse(readFileSync(join(cwd, file), 'utf8')) as { name: string; reference: { broken: { deployer: string }[] } };
  expect(scenario.reference.broken[0]!.deployer).toBe('replace-in-place');
  // The written scenario reproduces the failure with skew run…
  const again = await skew(['run', file, '--deployer', 'replace-in-place', '--json'], cwd);
  expect(again.code, again.stderr).toBe(1);
  expect((JSON.parse(again.stdout) as ScenarioReport).checks.find((c) => c.check === 'no-chunk-load-error')!.verdict).toBe('fail');
  // …and the good deployer passes it (the sequence is skew, not noise).
  const good = await skew(['run', file, '--deployer', 'releases-symlink'], cwd);
  expect(good.code, good.stdout).toBe(0);
  expect(leftovers(cwd)).toEqual([]);
});

test('skew fuzz with a deployer file (./deploy.sh): its runs really run and are counted; a deployer that always fails is inconclusive, never PASS', async () => {
  const cwd = workDir('fuzz-file');
  // The file name has a dot: it once made every generated scenario invalid and printed PASS after 0 runs.
  writeFileSync(join(cwd, 'deploy.sh'), `#!/bin/sh\nexec "${join(process.cwd(), 'deployers/releases-symlink.sh')}" "$@"\n`, {
    mode: 0o755,
  });
  writeFileSync(join(cwd, 'broken.sh'), '#!/bin/sh\necho "no credentials" >&2\nexit 1\n', { mode: 0o755 });
  const good = await skew(['fuzz', '--deployer', './deploy.sh', '--seed', '3', '--runs', '1', '--max-actions', '3'], cwd);
  expect(good.code, good.stderr).toBe(0);
  expect(good.stdout).toMatch(/^PASS {2}no failing sequence for deploy\.sh \(seed 3, 1 run\(s\): 1 pass, 0 fail, 0 inconclusive/);
  const broken = await skew(['fuzz', '--deployer', './broken.sh', '--seed', '3', '--runs', '2', '--max-actions', '3'], cwd);
  expect(broken.code, broken.stderr).toBe(2);
  expect(broken.stdout).toMatch(
    /^INCONCLUSIVE {2}no sequence of broken\.sh could be judged \(seed 3, 2 run\(s\): 0 pass, 0 fail, 2 inconclusive/,
  );
  expect(leftovers(cwd)).toEqual([]);
});

test('skew fuzz on a platform deployer: traffic splits and GC; prune-on-upload is found and shrunk, the file passes with additive-gc', async () => {
  test.skip(
    !fullTier(),
    'nightly tier: harness/fuzz/fuzz.test.ts proves search, shrink and the written file; "skew fuzz with a deployer file" runs real sequences in the PR tier',
  );
  test.setTimeout(6 * 60_000);
  const cwd = workDir('fuzz-platform');
  const r = await skew(['fuzz', '--deployer', 'prune-on-upload', '--seed', '2'], cwd);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toMatch(/^FAIL {2}prune-on-upload fails .*referenced-objects-kept/);
  expect(r.stdout).toMatch(/found: +.*split \d+ % back/);
  const file = /written: (\S+)/.exec(r.stdout)![1]!;
  const scenario = JSON.parse(readFileSync(join(cwd, file), 'utf8')) as { platform?: boolean };
  expect(scenario.platform).toBe(true);
  const good = await skew(['run', file, '--deployer', 'additive-gc'], cwd);
  expect(good.code, good.stdout).toBe(0);
  expect(leftovers(cwd)).toEqual([]);
});

test("--load: 300 HTTP clients through the swap; none fails with the good deployer, the old build's files 404 with replace-in-place", async () => {
  test.setTimeout(4 * 60_000);
  test.skip(
    !fullTier(),
    'nightly tier: "--load in single-origin" runs the HTTP clients through a deploy in the PR tier and load-errors fires there (the 502 gap)',
  );
  const cwd = workDir('load');
  const good = await skew(['run', 'roll-forward', '--load', '300', '--json'], cwd);
  expect(good.code, good.stderr).toBe(0);
  const ok = JSON.parse(good.stdout) as ScenarioReport;
  expect(ok.checks.find((c) => c.check === 'load-errors')).toMatchObject({ verdict: 'pass' });
  expect(ok.load).toMatchObject({ clients: 300, errors: {} });
  expect(ok.load!.phases.map((p) => p.phase)).toEqual(['after deploy A', 'deploy B', 'after deploy B']);
  expect(ok.load!.requests).toBeGreaterThan(1_000);
  const bad = await skew(['run', 'roll-forward', '--load', '300', '--deployer', 'replace-in-place', '--json'], cwd);
  expect(bad.code).toBe(1);
  const failed = JSON.parse(bad.stdout) as ScenarioReport;
  const check = failed.checks.find((c) => c.check === 'load-errors')!;
  expect(check.verdict).toBe('fail');
  expect(check.evidence.join('\n')).toMatch(/http-404 for \/_next\/static\/\S+\?dpl=a-/);
  expect(failed.load!.errors['http-404']).toBeGreaterThan(0);
  expect(leftovers(cwd)).toEqual([]);
});

test('--load in single-origin: pm2 reload keeps every request answered; restart-not-reload (pm2 restart) leaves a gap of 502s', async () => {
  test.setTimeout(4 * 60_000);
  const cwd = workDir('load-single-origin');
  const good = await skew(['run', 'roll-forward', '--world', 'single-origin', '--deployer', 'own-routing', '--load', '100', '--json'], cwd);
  expect(good.code, good.stderr).toBe(0);
  const ok = JSON.parse(good.stdout) as ScenarioReport;
  expect(ok.checks.find((c) => c.check === 'load-errors')).toMatchObject({ verdict: 'pass' });
  expect(ok.load).toMatchObject({ clients: 100, errors: {} });
  const bad = await skew(
    ['run', 'roll-forward', '--world', 'single-origin', '--deployer', 'restart-not-reload', '--load', '100', '--json'],
    cwd,
  );
  expect(bad.code).toBe(1);
  const failed = JSON.parse(bad.stdout) as ScenarioReport;
  const check = failed.checks.find((c) => c.check === 'load-errors')!;
  expect(check.verdict, check.evidence.join('\n')).toBe('fail');
  // The gap is in the deploy's phase: the origin nginx answers 502 while no server listens.
  expect(failed.load!.errors['http-5xx'], JSON.stringify(failed.load!.errors)).toBeGreaterThan(0);
  expect(failed.load!.phases.find((p) => p.phase === 'deploy B')?.errors['http-5xx']).toBeGreaterThan(0);
  expect(leftovers(cwd)).toEqual([]);
});
