import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ScenarioReport } from '../harness/run/report.ts';
import { CORPUS, type CorpusApp, GENERATED, installCorpusApp } from './corpus.ts';
import { offlineGoogleFonts, serveFontFile } from './offline-fonts.ts';
import { installWorkspace } from './workspace.ts';
import { fullTier, leftovers, skew } from './support.ts';

/**
 * `skew run --app` on the corpus (test/apps: Next.js's own examples): on every app the good
 * reference deployer passes every scenario that applies, a broken one fails, nothing crashes.
 * The app that crashed skew before (Turbopack's .next/node_modules link to an npm dependency)
 * runs in the PR tier as a team installs it (e2e/package.spec.ts); the nightly tier runs it here
 * with replace-in-place too, every example through the catalogue's first wave, and the starters.
 */
test.describe.configure({ timeout: 20 * 60_000 });

/** The platform scenarios (skew-protection document): on an app they also judge build-id-pinning (its store and GC are keyed by BUILD_ID). */
const PLATFORM = [
  'rolling-canary',
  'rollback-canary-outside-window',
  'unresolvable-live-revision',
  'retention-1',
  'retention-3',
  'retention-5',
  'two-tabs-one-cookie',
];

/** The scenarios of the two source documents that apply to an app (the schema one does not). */
const FIRST_WAVE = [
  'roll-forward',
  'roll-back',
  'keep-releases',
  'merged-static-store',
  'purge-html-only',
  'stale-html',
  'public-files',
  'keep-bad-static-15m',
  'cached-404',
  'rollback-open-bad-sessions',
  ...PLATFORM,
];

const checkOf = (r: ScenarioReport, name: string) => r.checks.find((c) => c.check === name);

/** The checks that did not pass, with their verdicts: `no-hard-reload fail, app-coverage inconclusive`. */
const verdictNote = (r: ScenarioReport) =>
  r.checks
    .filter((c) => c.verdict !== 'pass')
    .map((c) => `${c.check} ${c.verdict}`)
    .join(', ');

/**
 * The finding every corpus app earns on the platform: none sets generateBuildId, so BUILD_ID is
 * not the deployment id (Next 16: one id for every build; 14 and 15: a random one).
 */
function expectOnlyTheBuildIdFinding(r: ScenarioReport): void {
  expect(r.verdict, r.scenario).toBe('fail');
  expect(
    r.checks.filter((c) => c.verdict === 'fail').map((c) => c.check),
    r.scenario,
  ).toEqual(['build-id-pinning']);
  expect(checkOf(r, 'build-id-pinning')!.evidence.join('\n')).toMatch(/share BUILD_ID|\.next\/BUILD_ID is ".+" but the deployment id is/);
}

async function goodAndBroken(app: CorpusApp, scenarios: string[]) {
  const dir = installCorpusApp(app);
  const cwd = resolve(dir, '..');
  const good = await skew(['run', ...scenarios, '--app', dir, '--json'], cwd);
  const reports = [good.stdout.trim().startsWith('[') ? JSON.parse(good.stdout) : [JSON.parse(good.stdout)]].flat() as ScenarioReport[];
  expect(
    reports.map((r) => r.scenario),
    good.stderr,
  ).toEqual(scenarios);
  const broken = await skew(['run', 'roll-forward', '--app', dir, '--deployer', 'replace-in-place', '--json'], cwd);
  expect(broken.code, broken.stderr).toBe(1);
  const failed = JSON.parse(broken.stdout) as ScenarioReport;
  expect(checkOf(failed, 'old-assets-survive')!.verdict).toBe('fail');
  expect(leftovers(cwd)).toEqual([]);
  expect(existsSync(join(dir, '.next')), 'the app directory is only read').toBe(false);
  for (const c of app.catches ?? []) {
    const r = await skew(['run', c.scenario, '--app', dir, '--deployer', c.deployer, '--json'], cwd);
    const report = JSON.parse(r.stdout) as ScenarioReport;
    expect(
      report.checks.filter((x) => x.verdict === 'fail').map((x) => x.check),
      `${c.deployer} on ${c.scenario}`,
    ).toEqual(c.fails);
  }
  return { reports, good };
}

test('with-dynamic-import (Pages Router, an npm dependency, Turbopack): no crash, the good deployer passes, replace-in-place fails', async () => {
  test.skip(
    !fullTier(),
    'nightly tier: the PR tier installs with-dynamic-import as a team does and its init deploy.sh passes roll-forward and roll-back on it (e2e/package.spec.ts, which builds it with the Turbopack link to fuse.js); replace-in-place is caught on the fixture there (catalogue.spec)',
  );
  const app = CORPUS.find((a) => a.name === 'with-dynamic-import')!;
  const { reports } = await goodAndBroken(app, ['roll-forward']);
  const [r] = reports;
  expect(r!.verdict, JSON.stringify(r!.checks, null, 1)).toBe('pass');
  expect(checkOf(r!, 'app-coverage')!.verdict).toBe('pass');
  expect(r!.app!.lazyPages).toEqual(['/']);
  // Turbopack's link to fuse.js resolves in the published build (and so in every release copied from it).
  const builds = readdirSync(resolve('builds')).filter((d) => d.startsWith('with-dynamic-import-'));
  const links = builds.flatMap((b) => {
    const dir = resolve('builds', b, 'app', '.next', 'node_modules');
    return existsSync(dir) ? readdirSync(dir).map((l) => join(dir, l)) : [];
  });
  expect(links.some((l) => l.includes('fuse.js-'))).toBe(true);
  for (const l of links) expect(statSync(join(l, 'package.json')).isFile(), l).toBe(true);
  expect(readdirSync(resolve('builds')).filter((d) => d.endsWith('.tmp'))).toEqual([]);
});

for (const app of CORPUS) {
  test(`corpus ${app.name} (${app.shape}; Next ${app.next}, ${app.packageManager}): the first wave with reference deployers, and replace-in-place`, async () => {
    test.skip(!fullTier(), 'nightly tier: every corpus app through 17 scenarios; the PR tier runs with-dynamic-import');
    const { reports } = await goodAndBroken(app, FIRST_WAVE);
    for (const r of reports) {
      expect(r.app!.nextVersion).toBe(app.next);
      const why = `${r.scenario}: ${JSON.stringify(
        r.checks.filter((c) => c.verdict !== 'pass'),
        null,
        1,
      )}`;
      if (app.inconclusive.includes(r.scenario)) {
        expect(r.verdict, why).toBe('inconclusive');
        expect(checkOf(r, 'app-coverage')!.verdict, why).toBe('inconclusive');
      } else if (PLATFORM.includes(r.scenario)) expectOnlyTheBuildIdFinding(r);
      else expect(r.verdict, why).toBe('pass');
    }
  });
}

test('with-dynamic-import with the fix the finding names (generateBuildId = the deployment id): the platform scenarios pass', async () => {
  test.skip(
    !fullTier(),
    'nightly tier: the PR tier proves build-id-pinning fires (its unit negative control) and the fixture passes with the same config',
  );
  const app = CORPUS.find((a) => a.name === 'with-dynamic-import')!;
  const fixed = [
    'module.exports = {',
    '  typescript: { ignoreBuildErrors: true },',
    '  generateBuildId: async () => process.env.NEXT_DEPLOYMENT_ID ?? null,',
    '};',
    '',
  ].join('\n');
  const dir = installCorpusApp(app, { 'next.config.js': fixed });
  const r = await skew(['run', ...PLATFORM, '--app', dir, '--json'], resolve(dir, '..'));
  expect(r.code, r.stderr).toBe(0);
  for (const report of JSON.parse(r.stdout) as ScenarioReport[]) {
    expect(report.verdict, report.scenario).toBe('pass');
    expect(checkOf(report, 'build-id-pinning')!.verdict).toBe('pass');
  }
});

/**
 * The generated starters (e2e/corpus.ts GENERATED): each made by its own CLI at a pinned version,
 * installed from its committed lockfile, then judged as a team would first judge it.
 */
for (const app of GENERATED) {
  test(`starter ${app.name} (${app.shape}; ${app.packageManager}): roll-forward and roll-back with the reference deployer, replace-in-place caught`, async () => {
    test.skip(
      !fullTier(),
      'nightly tier: the PR tier installs with-dynamic-import as a team does and judges it (e2e/package.spec.ts); app-mode.spec.ts judges a create-next-app template',
    );
    const fonts = app.googleFonts ? await serveFontFile() : undefined;
    try {
      const dir = installCorpusApp(app);
      const cwd = resolve(dir, '..');
      const env = fonts ? { NEXT_FONT_GOOGLE_MOCKED_RESPONSES: offlineGoogleFonts(dir, fonts.url) } : {};
      const good = await skew(['run', 'roll-forward', 'roll-back', '--app', dir, '--json'], cwd, undefined, env);
      expect(good.stdout.trim().startsWith('['), good.stderr).toBe(true);
      for (const r of JSON.parse(good.stdout) as ScenarioReport[]) {
        // One line per verdict for the corpus table of docs/app-mode.md.
        console.log(`corpus-verdict\t${app.name}\t${r.scenario}\t${r.app!.nextVersion}\t${r.verdict}\t${verdictNote(r)}`);
        if (app.next) expect(r.app!.nextVersion.startsWith(app.next), r.app!.nextVersion).toBe(true);
        const notPassed = r.checks.filter((c) => c.verdict !== 'pass');
        const why = `${r.scenario}: ${JSON.stringify(notPassed, null, 1)}`;
        if (app.inconclusive.includes(r.scenario)) {
          // Nothing for an old tab to do, said so; everything the deploy itself did is judged and clean.
          expect(r.verdict, why).toBe('inconclusive');
          expect(checkOf(r, 'app-coverage')!.verdict, why).toBe('inconclusive');
          const tabSide = [
            'app-coverage',
            'content-renders',
            ...(app.withoutDeploymentId ? ['no-hard-reload', 'recovers-by-navigation'] : []),
          ];
          expect(
            notPassed.filter((c) => c.verdict === 'fail' || !tabSide.includes(c.check)),
            why,
          ).toEqual([]);
        } else if (app.withoutDeploymentId) {
          // What its users get: recovery by a full page load, named with its cause and fix.
          expect(
            notPassed.map((c) => c.check).filter((c) => c !== 'no-hard-reload'),
            why,
          ).toEqual([]);
          expect(checkOf(r, 'recovers-by-navigation')!.verdict, why).toBe('pass');
          expect(r.app!.withoutDeploymentId, why).toBeDefined();
        } else expect(r.verdict, why).toBe('pass');
      }
      const broken = await skew(['run', 'roll-forward', '--app', dir, '--deployer', 'replace-in-place', '--json'], cwd, undefined, env);
      expect(broken.code, broken.stderr).toBe(1);
      const failed = JSON.parse(broken.stdout) as ScenarioReport;
      console.log(`corpus-verdict\t${app.name}\treplace-in-place\t${failed.app!.nextVersion}\t${failed.verdict}\t${verdictNote(failed)}`);
      expect(checkOf(failed, 'old-assets-survive')!.verdict, JSON.stringify(failed.checks, null, 1)).toBe('fail');
      expect(leftovers(cwd)).toEqual([]);
      expect(existsSync(join(dir, '.next')), 'the app directory is only read').toBe(false);
    } finally {
      await fonts?.close();
    }
  });
}

/**
 * A monorepo as teams have one (test/workspace: apps/web with @repo/ui through
 * transpilePackages), installed by npm, yarn and pnpm workspaces from each one's lockfile.
 */
for (const pm of ['npm', 'yarn', 'pnpm'] as const) {
  test(`workspace (${pm}): apps/web with a shared package, judged where it sits; replace-in-place caught`, async () => {
    test.skip(
      !fullTier(),
      'nightly tier: harness/app/workspace.test.ts proves the snapshot (mirror, merged node_modules, marked packages) on each layout',
    );
    const dir = installWorkspace(pm);
    const root = resolve(dir, '../..');
    const good = await skew(['run', 'roll-forward', 'roll-back', '--app', dir, '--json'], root);
    expect(good.code, good.stderr).toBe(0);
    for (const r of JSON.parse(good.stdout) as ScenarioReport[]) {
      console.log(`corpus-verdict\tworkspace-${pm}\t${r.scenario}\t${r.app!.nextVersion}\t${r.verdict}\t${verdictNote(r)}`);
      // The shared package's client code differs between A and B: there is something to skew.
      expect(r.verdict, JSON.stringify(r.checks, null, 1)).toBe('pass');
    }
    const broken = await skew(['run', 'roll-forward', '--app', dir, '--deployer', 'replace-in-place', '--json'], root);
    expect(broken.code, broken.stderr).toBe(1);
    expect(checkOf(JSON.parse(broken.stdout) as ScenarioReport, 'old-assets-survive')!.verdict).toBe('fail');
    expect(leftovers(root)).toEqual([]);
    for (const d of [dir, join(root, 'packages', 'ui')]) expect(existsSync(join(d, '.next')), 'the workspace is only read').toBe(false);
  });
}
