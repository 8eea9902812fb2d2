import { expect, test } from '@playwright/test';
import type { ScenarioReport } from '../harness/run/report.ts';
import { fullTier, leftovers, skew, workDir } from './support.ts';

/**
 * `--next <version>`: the fixture built and started with another Next.js, installed from the npm
 * registry (Next 15 builds with webpack by default; the proxy is its middleware.ts). The
 * BUILD_ID = deployment id rule is judged on it (rolling-canary's build-id-pinning).
 */
test.describe.configure({ timeout: 15 * 60_000 });

const NEXT_15 = '15.5.29';

test(`--next ${NEXT_15}: the fixture passes roll-forward and rolling-canary with the good deployers; replace-in-place fails`, async () => {
  test.skip(
    !fullTier(),
    "nightly tier: the PR tier runs the catalogue on skew's own Next 16 (e2e/catalogue.spec.ts) and refuses bad --next values (cli/main.test.ts)",
  );
  const cwd = workDir('next15');
  const good = await skew(['run', 'roll-forward', 'rolling-canary', '--next', NEXT_15, '--json'], cwd);
  expect(good.code, good.stderr).toBe(0);
  const [rollForward, canary] = JSON.parse(good.stdout) as ScenarioReport[];
  expect(rollForward!.bundler).toBe('webpack');
  expect(canary!.checks.find((c) => c.check === 'build-id-pinning')!.verdict).toBe('pass');
  for (const v of Object.values(canary!.versions)) expect(v.buildId).toBe(v.deploymentId);
  const bad = await skew(['run', 'roll-forward', '--next', NEXT_15, '--deployer', 'replace-in-place', '--json'], cwd);
  expect(bad.code, bad.stderr).toBe(1);
  expect((JSON.parse(bad.stdout) as ScenarioReport).checks.find((c) => c.check === 'old-assets-survive')!.verdict).toBe('fail');
  expect(leftovers(cwd)).toEqual([]);
});
