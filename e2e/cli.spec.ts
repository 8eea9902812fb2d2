import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { pathToFileURL } from 'node:url';
import { parse } from 'test-results-parser';
import { launchBrowser } from '../harness/browser/launch.ts';
import type { ScenarioReport } from '../harness/run/report.ts';
import { cdnKinds, childEnv, fullTier, leftoverContainers, leftovers, BIN, runIdsIn, skew, workDir } from './support.ts';

test('skew run --json --junit with the broken deployer exits 1 and reports the ChunkLoadError, the 404 URL and the session', async () => {
  const cwd = workDir('cli-json');
  const r = await skew(['run', 'roll-forward', '--deployer', 'replace-in-place', '--json', '--junit', 'out/junit.xml'], cwd);
  expect(r.code, r.stderr).toBe(1);
  const report = JSON.parse(r.stdout) as ScenarioReport;
  expect(report).toMatchObject({ schemaVersion: 1, scenario: 'roll-forward', deployer: 'replace-in-place', verdict: 'fail' });
  const evidence = report.checks.find((c) => c.check === 'no-chunk-load-error')!.evidence.join('\n');
  expect(evidence).toMatch(/session app-a .*ChunkLoadError: Failed to load chunk \/_next\/static\/chunks\/\S+\?dpl=a-/);
  expect(evidence).toMatch(/session app-a: 404 \/_next\/static\/chunks\/\S+/);
  // CI reads the same verdicts from JUnit XML, in the file asked for and in the run's directory.
  for (const file of [join(cwd, 'out/junit.xml'), join(report.runDir, 'junit.xml')]) {
    const junit = parse({ type: 'junit', files: [file] });
    expect(junit).toMatchObject({ total: report.checks.length, failed: report.checks.filter((c) => c.verdict === 'fail').length });
    expect(junit.suites[0]!.cases.find((c) => c.name === 'no-chunk-load-error')!.failure).toMatch(/ChunkLoadError/);
  }
  // report.html, read in a real browser: the failed checks with their fix, the timeline with the 404s.
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(join(report.runDir, 'report.html')).href);
    await expect(page.locator('h1 .verdict')).toHaveText('FAIL');
    await expect(page.locator('#checks tr.fail')).toHaveCount(report.checks.filter((c) => c.verdict === 'fail').length);
    await expect(page.locator('#checks tr.fail .fix').first()).toContainText('fix:');
    expect(await page.locator('#timeline circle.bad').count()).toBeGreaterThan(0);
    // The failing sessions' Playwright traces, linked from the report, are real trace archives.
    expect(Object.keys(report.traces ?? {})).toContain('app-a');
    await expect(page.locator('#traces a', { hasText: 'app-a' }).first()).toHaveAttribute('href', 'traces/app-a.zip');
    const zip = readFileSync(join(report.runDir, report.traces!['app-a']!));
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('trace.network'))).toBe(true);
    await page.screenshot({ path: test.info().outputPath('report-html.png'), fullPage: true });
  } finally {
    await browser.close();
  }
  expect(leftovers(cwd)).toEqual([]);
});

test('skew run --workers 2: results as they end, the end-of-run table, JUnit in catalogue order, a profile per run, nothing left', async () => {
  const cwd = workDir('cli-workers');
  const names = ['stale-html', 'purge-html-only', 'public-files'];
  const r = await skew(['run', ...names, '--workers', '2', '--junit', 'out/junit.xml', '--profile'], cwd);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain('3 scenario(s) on 2 worker(s)');
  // Not a terminal: a line when each worker takes a scenario, the first two at once.
  expect(r.stderr).toMatch(/\[w1\] stale-html with releases-symlink/);
  expect(r.stderr).toMatch(/\[w2\] purge-html-only with releases-symlink/);
  // Each verdict as its scenario ends, then one table in the catalogue's order, and the totals.
  expect(r.stdout.match(/^PASS {2}\S+/gm)?.length).toBe(3);
  const table = r.stdout.slice(r.stdout.indexOf('scenario  '));
  expect(
    table
      .split('\n')
      .slice(1, 4)
      .map((l) => l.split(/\s+/)[0]),
  ).toEqual(names);
  expect(table).toContain('3 scenario(s): 3 passed, 0 failed, 0 inconclusive');
  expect(table).toMatch(/wall (\d+ min )?[\d.]+ s with 2 worker\(s\); the scenarios' own times add up to (\d+ min )?[\d.]+ s/);
  expect(r.stdout).toMatch(/profile:\n +[\d.]+ s +\d+ % +builds/);
  const junit = parse({ type: 'junit', files: [join(cwd, 'out/junit.xml')] });
  expect(junit.suites.map((s) => s.name)).toEqual(names.map((n) => `${n} [releases-symlink]`));
  for (const id of runIdsIn(cwd).filter((d) => d !== 'latest')) {
    const report = JSON.parse(readFileSync(join(cwd, 'runs', id, 'report.json'), 'utf8')) as ScenarioReport;
    expect(report.profile?.map((p) => p.phase)).toEqual(expect.arrayContaining(['builds', 'stack start', 'judge', 'teardown']));
    expect(readFileSync(join(cwd, 'runs', id, 'logs', 'progress.log'), 'utf8')).toContain('teardown done');
  }
  expect(leftovers(cwd)).toEqual([]);
});

test('a working folder whose path has spaces and non-ASCII: the pinned and single-origin worlds run and pass', async () => {
  // nginx configurations (edge and origin), the deployer's shell scripts and the release store all see this path.
  const cwd = workDir('cli odd path ü é');
  // The PR tier runs single-origin (the edge's and the origin's nginx configurations, the
  // deployer, the store); the nightly tier adds pinned, whose edge config is the same template.
  for (const world of fullTier() ? ['pinned', 'single-origin'] : ['single-origin']) {
    const r = await skew(['run', 'stale-html', '--world', world], cwd);
    expect(r.code, `${world}: ${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}stale-html/m);
  }
  expect(leftovers(cwd)).toEqual([]);
});

for (const cdn of cdnKinds())
  test(`Ctrl-C mid-run tears everything down and exits 130 [${cdn}]`, async () => {
    const cwd = workDir(`cli-sigint-${cdn}`);
    let sent = false;
    const r = await skew(['run', 'roll-forward', '--cdn', cdn], cwd, (text, kill) => {
      // Interrupt once sessions are open: nginx, two origins and Chromium are all running.
      if (!sent && text.includes('step 7/')) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('SIGINT: stopping the deployer, then tearing down the stack');
    expect(r.stderr).not.toMatch(/internal error|TypeError/);
    // The run says how far it got; its release copies are gone.
    const [id] = runIdsIn(cwd).filter((d) => d !== 'latest');
    const report = JSON.parse(readFileSync(join(cwd, 'runs', id!, 'report.json'), 'utf8')) as ScenarioReport;
    expect(report).toMatchObject({ verdict: 'interrupted', interrupted: { signal: 'SIGINT', phase: 'steps' } });
    expect(report.interrupted!.stepsDone).toBeGreaterThanOrEqual(6);
    expect(readdirSync(join(cwd, 'runs', id!))).not.toContain('running.pid');
    expect(readdirSync(join(cwd, 'runs', id!, 'stack'))).not.toContain('deploy');
    expect(leftovers(cwd)).toEqual([]);
    expect(leftoverContainers(runIdsIn(cwd))).toEqual([]);
    // The browser's temp folders went with it: a trace still running when the browser closed
    // used to leave an empty playwright-tracing-* folder in TMPDIR per session. Kept on purpose:
    // tsx's compile cache and testcontainers' lock file (as in interrupt.spec.ts).
    const temp = readdirSync(join(cwd, 'tmp')).filter((d) => !/^(tsx-\d+|testcontainers-node-\d+\.lock)$/.test(d));
    expect(temp, 'temp folders left (Playwright, Chromium, the harness)').toEqual([]);
  });

test('skew repro --keep leaves a working stack until skew down, which removes everything', async () => {
  const cwd = workDir('cli-repro-keep');
  let edge = '';
  let resolveUp: () => void = () => {};
  const up = new Promise<void>((r) => (resolveUp = r));
  const child = spawn(process.execPath, [BIN, 'repro', 'stale-html', '--keep'], {
    cwd,
    env: childEnv(cwd),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const m = / {2}edge: +(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
    if (m && stdout.includes('Tear it down')) {
      edge = m[1]!;
      resolveUp();
    }
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await Promise.race([
      up,
      exited.then(() => {
        throw new Error(`repro exited before the stack was up:\n${stdout}`);
      }),
    ]);
    expect(stdout).toMatch(/release store: \S+\/stack\/deploy/);
    const page = await fetch(`${edge}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="version"');
    const down = await skew(['down'], cwd);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/torn down \(edge http:\/\/127\.0\.0\.1:\d+\)/);
    // skew down sends SIGTERM: 143, as a shell reports a process ended by it.
    expect(await exited).toBe(143);
  } finally {
    child.kill('SIGKILL');
  }
  await expect(fetch(`${edge}/`)).rejects.toThrow();
  expect(readdirSync(join(cwd, 'runs', '.kept'))).toEqual([]);
  expect(leftovers(cwd)).toEqual([]);
});
