import { rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { test as base, type TestInfo } from '@playwright/test';
import { getAppBuild, type BundlerChoice } from '../app/app-build.ts';
import { inspectApp } from '../app/project.ts';
import { getBuild } from '../builds/build-cache.ts';
import type { Build } from '../builds/types.ts';
import type { EdgeRules } from '../cdn/edge.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import { combine } from '../core/verdict.ts';
import type { Deployer } from '../deployers/deployer.ts';
import { loadDeployer } from '../deployers/load.ts';
import { renderHtmlReport } from '../run/html-report.ts';
import type { ScenarioReport } from '../run/report.ts';
import { Rig } from '../run/rig.ts';
import { versionsOf } from '../run/run-checks.ts';
import { SkewTest } from './skew-test.ts';

/** Options a team sets in `playwright.config.ts` (`use: { skewDeployer: './deploy.sh' }`). Worker-scoped. */
export interface SkewOptions {
  /** The deployer under test: one of ours by name (`skew list`) or a path to yours. */
  skewDeployer: string;
  /** The versions to build (A, B, …): each a build of the same app with its own deployment id. */
  skewVersions: string[];
  /** Your Next.js project (built in a copy, your files are only read); unset = skew's fixture app. */
  skewApp: string | undefined;
  skewBundler: BundlerChoice;
  /** `process` (nginx on this machine) or `container` (nginx in Docker). */
  skewCdn: CdnKind;
  /** Cache rules of the edge (htmlTtl, cacheStatic404, publicTtl, …). */
  skewEdge: EdgeRules | undefined;
  /** The skew-protection platform (revisions + traffic split) instead of a release store. */
  skewPlatform: boolean;
  /** Playwright traces of sessions that saw trouble, attached to the test (`off`: none). */
  skewTraces: 'failing' | 'off';
  /** How long one deployer action may take. */
  skewDeployerTimeoutMs: number;
  /** A fault layer between the edge and each origin, for origin faults (`skew.step({ kind: 'inject', fault: 'origin-kill' })`). */
  skewFaultLayer: boolean;
  /** Chromium may use its back/forward cache, for `skew.step({ kind: 'inject', fault: 'browser-bfcache' })` (off by default, as Playwright has it). */
  skewBfcache: boolean;
}

interface WorkerFixtures {
  skewDeployerInstance: Deployer;
  skewBuilds: Record<string, Build>;
  skewRig: Rig;
}

/**
 * Playwright fixtures for your own skew specs. Builds and the stack (nginx edge, control plane,
 * browser) are worker-scoped: built and started once per worker, the stack emptied before each
 * test. `skew` is an auto fixture: every test gets a fresh history, attached to the test with
 * an HTML timeline (`skew-report.html`) and the traces of sessions that saw trouble.
 */
export const test = base.extend<{ skew: SkewTest }, SkewOptions & WorkerFixtures>({
  skewDeployer: ['releases-symlink', { option: true, scope: 'worker' }],
  skewVersions: [['A', 'B'], { option: true, scope: 'worker' }],
  skewApp: [undefined, { option: true, scope: 'worker' }],
  skewBundler: ['auto', { option: true, scope: 'worker' }],
  skewCdn: ['process', { option: true, scope: 'worker' }],
  skewEdge: [undefined, { option: true, scope: 'worker' }],
  skewPlatform: [false, { option: true, scope: 'worker' }],
  skewTraces: ['failing', { option: true, scope: 'worker' }],
  skewDeployerTimeoutMs: [120_000, { option: true, scope: 'worker' }],
  skewFaultLayer: [false, { option: true, scope: 'worker' }],
  skewBfcache: [false, { option: true, scope: 'worker' }],

  skewDeployerInstance: [
    async ({ skewDeployer }, use) => {
      await use(await loadDeployer(skewDeployer));
    },
    { scope: 'worker' },
  ],

  // Cached on disk across runs (keyed by source and Next version): only the first run builds.
  skewBuilds: [
    async ({ skewVersions, skewApp, skewBundler }, use) => {
      const app = skewApp ? await inspectApp(resolve(skewApp)) : undefined;
      const builds: Record<string, Build> = {};
      for (const v of skewVersions) {
        builds[v] = app
          ? await getAppBuild({ app, variant: v, bundler: skewBundler, log: () => {} })
          : await getBuild({ variant: v, schema: 1, bundler: skewBundler === 'auto' ? 'turbopack' : skewBundler });
      }
      await use(builds);
    },
    { scope: 'worker', timeout: 15 * 60_000 },
  ],

  skewRig: [
    async (
      { skewBuilds, skewDeployerInstance, skewCdn, skewEdge, skewPlatform, skewTraces, skewDeployerTimeoutMs, skewFaultLayer, skewBfcache },
      use,
      workerInfo,
    ) => {
      const dir = join(workerInfo.project.outputDir, `.skew-worker-${workerInfo.workerIndex}`);
      const rig = await Rig.open({
        builds: skewBuilds,
        deployer: skewDeployerInstance,
        cdn: skewCdn,
        dir,
        runId: `pw-${workerInfo.workerIndex}-${process.pid}`,
        traces: skewTraces !== 'off',
        deployerTimeoutMs: skewDeployerTimeoutMs,
        ...(skewEdge ? { edge: skewEdge } : {}),
        ...(skewPlatform ? { platform: true } : {}),
        ...(skewFaultLayer ? { faultLayer: true } : {}),
        ...(skewBfcache ? { bfcache: true } : {}),
      });
      try {
        await use(rig);
      } finally {
        await rig.close();
        // Release copies are big and worthless after the worker; logs and traces stay.
        await rm(join(dir, 'stack', 'deploy'), { recursive: true, force: true });
        await rm(join(dir, 'stack', 'platform'), { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  skew: [
    async ({ skewRig, skewBundler, skewCdn }, use, testInfo) => {
      await skewRig.reset();
      const skew = new SkewTest(skewRig);
      const startedAt = new Date();
      try {
        await use(skew);
      } finally {
        await recordTest(skewRig, skew, testInfo, { startedAt, bundler: skewBundler, cdn: skewCdn });
      }
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';

/** Attaches the test's history, its HTML timeline and the traces of troubled sessions. */
async function recordTest(
  rig: Rig,
  skew: SkewTest,
  testInfo: TestInfo,
  meta: { startedAt: Date; bundler: BundlerChoice; cdn: CdnKind },
): Promise<void> {
  const events = rig.history.events;
  if (!events.length) return; // the test used no skew step
  const traces = await rig.closeSessions();
  const deployer = rig.context.deployer;
  const checks = skew.judged.length
    ? skew.judged
    : [{ check: 'judged', verdict: 'inconclusive' as const, evidence: ['the test judged no checks (skew.judge / skew.expectPass)'] }];
  const report: ScenarioReport = {
    schemaVersion: 1,
    scenario: testInfo.titlePath.slice(1).join(' › '),
    title: testInfo.title,
    deployer: deployer.name,
    deployerReference: deployer.reference,
    cdn: meta.cdn,
    bundler: Object.values(rig.builds)[0]?.bundler ?? (meta.bundler === 'webpack' ? 'webpack' : 'turbopack'),
    verdict: combine(checks.map((c) => c.verdict)),
    checks,
    versions: versionsOf(rig.builds),
    startedAt: meta.startedAt.toISOString(),
    durationMs: Date.now() - meta.startedAt.getTime(),
    runDir: testInfo.outputDir,
    rerun: `npx playwright test ${relative(process.cwd(), testInfo.file)}:${testInfo.line}`,
  };
  const tracesOut: Record<string, string> = {};
  for (const [session, path] of Object.entries(traces)) {
    // Next to the report (which links it); attached as `trace` so Playwright's HTML report opens it in its viewer.
    const name = `trace-${session.replace(/[^\w.-]/g, '_')}.zip`;
    await rename(path, testInfo.outputPath(name));
    await testInfo.attach('trace', { path: testInfo.outputPath(name), contentType: 'application/zip' });
    tracesOut[session] = name;
  }
  if (Object.keys(tracesOut).length) report.traces = tracesOut;
  const history = testInfo.outputPath('skew-history.jsonl');
  await writeFile(history, rig.history.toJSONL());
  await testInfo.attach('skew-history.jsonl', { path: history, contentType: 'application/x-ndjson' });
  const html = testInfo.outputPath('skew-report.html');
  await writeFile(html, renderHtmlReport(report, events));
  await testInfo.attach('skew-report.html', { path: html, contentType: 'text/html' });
}
