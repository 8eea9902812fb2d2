import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ScenarioReport } from '../harness/run/report.ts';
import { fullTier, leftovers, skew, workDir } from './support.ts';

/**
 * `skew run --app` against Next.js projects that know nothing about skew: create-next-app's
 * template (installed from the npm registry: an app none of us wrote) and examples/plain-app
 * (client components, next/dynamic, both routers, a dynamic route and gSSP), also with
 * basePath + output: 'standalone' + webpack. Dependencies come from the registry (npm's cache
 * makes repeats fast); the apps are only read, their builds run in copies.
 */
const CREATE_NEXT_APP = 'create-next-app@16.4.3';

function npm(args: string[], cwd: string): void {
  execFileSync('npm', args, {
    cwd,
    stdio: 'pipe',
    timeout: 5 * 60_000,
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
}

function checkOf(r: ScenarioReport, name: string) {
  return r.checks.find((c) => c.check === name)!;
}

/** A copy of examples/plain-app with its dependencies installed, optionally with another next.config. */
function plainApp(name: string, config?: string): string {
  const dir = join(workDir(name), 'plain-app');
  cpSync(resolve('examples/plain-app'), dir, { recursive: true, filter: (src) => !/\/(node_modules|\.next)(\/|$)/.test(src) });
  if (config) writeFileSync(join(dir, 'next.config.mjs'), config);
  // install, not ci: the lockfile's optional platform packages differ between npm versions.
  npm(['install', '--prefer-offline'], dir);
  return dir;
}

test.describe.configure({ timeout: 12 * 60_000 });

test('create-next-app template (not ours): per-scenario verdicts, each gap named, never a silent pass', async () => {
  test.skip(
    !fullTier(),
    'nightly tier: corpus.spec "with-dynamic-import" runs --app on an app we did not write in the PR tier (good passes, replace-in-place fails)',
  );
  const cwd = workDir('app-cna');
  // --empty: the full template loads Geist from fonts.googleapis.com, which a closed network cannot reach.
  execFileSync(
    'npx',
    [
      '--yes',
      CREATE_NEXT_APP,
      'cna',
      '--ts',
      '--app',
      '--empty',
      '--no-tailwind',
      '--no-eslint',
      '--no-react-compiler',
      '--no-src-dir',
      '--import-alias',
      '@/*',
      '--use-npm',
      '--disable-git',
      '--yes',
    ],
    { cwd, stdio: 'pipe', timeout: 5 * 60_000 },
  );
  const app = join(cwd, 'cna');
  const r = await skew(['run', 'roll-forward', 'public-files', 'rollback-vs-forward-fix', '--app', app, '--json'], cwd);
  expect(r.code, r.stderr).toBe(2);
  const [rollForward, publicFiles, schema] = JSON.parse(r.stdout) as ScenarioReport[];
  expect(rollForward!.app).toMatchObject({ name: 'cna', nextVersion: '16.4.3', packageManager: 'npm' });
  expect(rollForward!.verdict).toBe('inconclusive');
  const gaps = checkOf(rollForward!, 'app-coverage').evidence.join('\n');
  expect(gaps).toMatch(/no Pages Router page/);
  expect(gaps).toMatch(/identical client files/);
  // What can be judged on this app still is: A's files answer, new visitors get B.
  expect(checkOf(rollForward!, 'old-assets-survive').verdict).toBe('pass');
  expect(checkOf(rollForward!, 'new-sessions-current').verdict).toBe('pass');
  // The public/ file skew adds to the copy makes the public-files scenario meaningful on any app.
  expect(checkOf(publicFiles!, 'public-files-current').verdict).toBe('pass');
  expect(schema).toMatchObject({
    verdict: 'inconclusive',
    checks: [{ check: 'app-coverage', verdict: 'inconclusive', evidence: [expect.stringMatching(/not applicable/)] }],
  });
  expect(leftovers(cwd)).toEqual([]);
  // create-next-app writes .next/types; a build there would leave BUILD_ID.
  expect(existsSync(join(app, '.next', 'BUILD_ID')), 'the app directory is only read').toBe(false);
});

test("plain-app: the good deployer passes with every step on the app's own pages; replace-in-place fails", async () => {
  test.skip(
    !fullTier(),
    'nightly tier: the PR tier proves the same on an app we did not write (e2e/corpus.spec.ts, with-dynamic-import: good passes, replace-in-place fails)',
  );
  const app = plainApp('app-plain');
  const cwd = join(app, '..');
  const good = await skew(['run', 'roll-forward', '--app', app, '--json'], cwd);
  expect(good.code, good.stderr).toBe(0);
  const report = JSON.parse(good.stdout) as ScenarioReport;
  expect(checkOf(report, 'app-coverage')).toMatchObject({ verdict: 'pass' });
  expect(report.app!.lazyPages).toEqual(['/lazy', '/report']);
  expect(report.app!.mapping.join('\n')).toMatch(/link-item → \/items\/1/);

  const bad = await skew(['run', 'roll-forward', '--app', app, '--deployer', 'replace-in-place', '--json'], cwd);
  expect(bad.code, bad.stderr).toBe(1);
  const failed = JSON.parse(bad.stdout) as ScenarioReport;
  expect(checkOf(failed, 'old-assets-survive').verdict).toBe('fail');
  expect(checkOf(failed, 'no-hard-reload').evidence.join('\n')).toMatch(/hard reload during "visit \/lazy"/);
  expect(leftovers(cwd)).toEqual([]);
});

test('plain-app with basePath, output: standalone and webpack passes on the good deployer', async () => {
  // Two minutes of webpack build and npm install; the other --app tests cover the adapter.
  test.skip(!fullTier(), 'nightly tier: a second --app build with basePath, standalone and webpack');
  const app = plainApp('app-standalone', "export default { basePath: '/shop', output: 'standalone' };\n");
  const cwd = join(app, '..');
  const r = await skew(['run', 'roll-forward', '--app', app, '--bundler', 'webpack', '--json'], cwd);
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout) as ScenarioReport;
  expect(report.bundler).toBe('webpack');
  expect(report.app!.mapping.join('\n')).toMatch(/fixture \/ → \/shop \(App Router\)/);
  expect(checkOf(report, 'old-assets-survive').evidence.join('\n')).toMatch(/answered 200/);
  rmSync(join(cwd, 'runs'), { recursive: true, force: true });
});

test('--app refuses what it cannot run, with the fix: not a project (64), not installed (69)', async () => {
  // Outside this repository: inside it, `next` would resolve from skew's own node_modules.
  const cwd = mkdtempSync(join(tmpdir(), 'skew-app-errors-'));
  const none = await skew(['run', 'roll-forward', '--app', join(cwd, 'nope')], cwd);
  expect(none.code).toBe(64);
  // Said for what it is: a missing folder is not a folder without package.json.
  expect(none.stderr).toMatch(/INVALID_APP: app folder \S+ does not exist/);
  const empty = await skew(['run', 'roll-forward', '--app', cwd], cwd);
  expect(empty.code).toBe(64);
  expect(empty.stderr).toMatch(/INVALID_APP: no package\.json/);
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'x', dependencies: { next: '16.4.6' } }));
  writeFileSync(join(cwd, 'package-lock.json'), '{}');
  const uninstalled = await skew(['run', 'roll-forward', '--app', cwd], cwd);
  expect(uninstalled.code).toBe(69);
  expect(uninstalled.stderr).toMatch(/APP_NOT_INSTALLED[\s\S]*npm ci/);
  // Installed (skew's own next, linked in), but a config skew cannot test: refused from
  // next.config itself, before any build, also as JSON on stdout.
  symlinkSync(resolve('node_modules'), join(cwd, 'node_modules'));
  writeFileSync(join(cwd, 'next.config.mjs'), "export default { output: 'export' };\n");
  const exported = await skew(['run', 'roll-forward', '--app', cwd, '--json'], cwd);
  expect(exported.code).toBe(64);
  expect(JSON.parse(exported.stdout)).toMatchObject({
    error: { code: 'UNSUPPORTED_APP', message: expect.stringContaining("output: 'export'") },
  });
  writeFileSync(join(cwd, 'next.config.mjs'), "export default { assetPrefix: 'https://cdn.example.com' };\n");
  const cdn = await skew(['run', 'roll-forward', '--app', cwd], cwd);
  expect(cdn.code).toBe(64);
  expect(cdn.stderr).toMatch(/UNSUPPORTED_APP: assetPrefix is https:\/\/cdn\.example\.com/);
  expect(existsSync(join(cwd, '.next')), 'nothing was built').toBe(false);
  expect(
    readdirSync(resolve('builds')).filter((d) => /^\.?x-/.test(d)),
    'no build of the refused app, finished or half-published',
  ).toEqual([]);
  rmSync(cwd, { recursive: true, force: true });
});
