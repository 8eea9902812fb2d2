import { rename, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { type TestInfo, test as base, type WorkerInfo } from '@playwright/test';
import { DEFAULT_DEPLOYER_TIMEOUT_MS } from '../run/spec.ts';
import type { BundlerChoice } from '../app/app-build.ts';
import { deploymentIdModeFor } from '../app/deployment-id.ts';
import { inspectApp } from '../app/project.ts';
import type { Build } from '../builds/types.ts';
import type { EdgeRules } from '../cdn/edge.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import type { DeploymentIdMode, World } from '../core/scenario.ts';
import type { Deployer } from '../deployers/deployer.ts';
import { needsOfFaults } from '../faults/index.ts';
import { buildVersions } from '../run/builds.ts';
import { writeEvidence } from '../run/evidence.ts';
import { reportOf } from '../run/report.ts';
import { Rig } from '../run/rig.ts';
import { stackSpec } from '../run/spec.ts';
import { loadDeployer } from '../deployers/load.ts';
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
  /** The world the stack is built as: `pinned` (per-release servers), `single-origin` (one server behind your nginx) or `rolling` (pods behind one Service). */
  skewWorld: World;
  /** `off`: the versions are built without a deployment id, as most self-hosted apps are (an app whose Next cannot carry one is built so anyway). */
  skewDeploymentId: DeploymentIdMode;
  /** Cache rules of the edge (htmlTtl, cacheStatic404, publicTtl, …). */
  skewEdge: EdgeRules | undefined;
  /** The skew-protection platform (revisions + traffic split) instead of a release store. */
  skewPlatform: boolean;
  /** Playwright traces of sessions that saw trouble, attached to the test (`off`: none). */
  skewTraces: 'failing' | 'off';
  /** How long one deployer action may take. */
  skewDeployerTimeoutMs: number;
  /**
   * The faults your specs inject (`skew.step({ kind: 'inject', fault: 'origin-kill' })`): the
   * worker starts what they need (the fault layer for origin faults, a back/forward cache for
   * `browser-bfcache`). Injecting one not listed here that needs more fails with that hint.
   */
  skewFaults: string[];
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
  skewWorld: ['pinned', { option: true, scope: 'worker' }],
  skewDeploymentId: ['on', { option: true, scope: 'worker' }],
  skewEdge: [undefined, { option: true, scope: 'worker' }],
  skewPlatform: [false, { option: true, scope: 'worker' }],
  skewTraces: ['failing', { option: true, scope: 'worker' }],
  skewDeployerTimeoutMs: [DEFAULT_DEPLOYER_TIMEOUT_MS, { option: true, scope: 'worker' }],
  skewFaults: [[], { option: true, scope: 'worker' }],

  skewDeployerInstance: [
    async ({ skewDeployer }, use, workerInfo) => {
      await use(await loadDeployer(skewDeployer, configFolder(workerInfo)));
    },
    { scope: 'worker' },
  ],

  // Cached on disk across runs (keyed by source and Next version): only the first run builds.
  skewBuilds: [
    async ({ skewVersions, skewApp, skewBundler, skewDeploymentId }, use, workerInfo) => {
      const app = skewApp ? await inspectApp(resolve(configFolder(workerInfo), skewApp)) : undefined;
      // An app whose Next cannot carry a deployment id is built as what it is: without one.
      const deploymentId = deploymentIdModeFor(app, skewDeploymentId);
      await use((await buildVersions({ versions: skewVersions, app, bundler: skewBundler, deploymentId })).builds);
    },
    { scope: 'worker', timeout: 15 * 60_000 },
  ],

  skewRig: [
    async (
      { skewBuilds, skewDeployerInstance, skewCdn, skewWorld, skewEdge, skewPlatform, skewTraces, skewDeployerTimeoutMs, skewFaults },
      use,
      workerInfo,
    ) => {
      const dir = join(workerInfo.project.outputDir, `.skew-worker-${workerInfo.workerIndex}`);
      const rig = await Rig.open({
        spec: stackSpec(
          { cdn: skewCdn, world: skewWorld, traces: skewTraces, deployerTimeoutMs: skewDeployerTimeoutMs },
          { edge: skewEdge, platform: skewPlatform, needs: needsOfFaults(skewFaults) },
        ),
        builds: skewBuilds,
        deployer: skewDeployerInstance,
        dir,
        runId: `pw-${workerInfo.workerIndex}-${process.pid}`,
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
  const sessionTraces = await rig.closeSessions();
  const traces: Record<string, string> = {};
  for (const [session, path] of Object.entries(sessionTraces)) {
    // Next to the report (which links it); attached as `trace` so Playwright's HTML report opens it in its viewer.
    const name = `trace-${session.replace(/[^\w.-]/g, '_')}.zip`;
    await rename(path, testInfo.outputPath(name));
    await testInfo.attach('trace', { path: testInfo.outputPath(name), contentType: 'application/zip' });
    traces[session] = name;
  }
  const checks = skew.judged.length
    ? skew.judged
    : [{ check: 'judged', verdict: 'inconclusive' as const, evidence: ['the test judged no checks (skew.judge / skew.expectPass)'] }];
  const report = reportOf({
    scenario: testInfo.titlePath.slice(1).join(' › '),
    title: testInfo.title,
    deployer: rig.context.deployer,
    cdn: meta.cdn,
    world: rig.spec.world,
    bundler: Object.values(rig.builds)[0]?.bundler ?? (meta.bundler === 'webpack' ? 'webpack' : 'turbopack'),
    builds: rig.builds,
    checks,
    events,
    startedAt: meta.startedAt,
    runDir: testInfo.outputDir,
    rerun: `npx playwright test ${relative(process.cwd(), testInfo.file)}:${testInfo.line}`,
    traces,
  });
  // outputPath() creates the test's output directory.
  const written = await writeEvidence(testInfo.outputPath(), events, report, PLAYWRIGHT_FILES);
  await testInfo.attach('skew-history.jsonl', { path: written.history!, contentType: 'application/x-ndjson' });
  await testInfo.attach('skew-report.html', { path: written.html!, contentType: 'text/html' });
}

/** A test's evidence, attached to it: the history and the HTML timeline (the test's own report is Playwright's). */
const PLAYWRIGHT_FILES = { history: 'skew-history.jsonl', html: 'skew-report.html', report: null, junit: null, rerun: null };

/**
 * Where `skewApp` and a `skewDeployer` path are relative to: the config file's folder, as
 * Playwright takes its own testDir and outputDir, so `npx playwright test -c skew` from the
 * project root and `npx playwright test` inside skew/ mean the same files.
 */
function configFolder(workerInfo: WorkerInfo): string {
  return workerInfo.config.configFile ? dirname(workerInfo.config.configFile) : process.cwd();
}
