import { basename } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { BrowserPool } from '../harness/browser/pool.ts';
import { summary } from '../cli/commands/run.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { CATALOGUE } from '../scenarios/index.ts';
import { type DeploymentIdMode, deploymentIdsOf, referencesIn, type World, worldsOf } from '../harness/core/scenario.ts';
import { cdnKinds, fullTier, leftoverContainers, leftovers, RUNS_DIR } from './support.ts';

/**
 * The catalogue against its reference deployers: the good one (the document's advice) must pass
 * every check; each broken one (a mistake the document warns about) must fail, at least on the
 * checks the scenario names, with evidence. The broken deployers are the negative controls that
 * prove the detectors fire on real builds in a real browser.
 *
 * Both CDN runtimes run the two core scenarios (same generated nginx config); the rest run on the
 * process runtime to keep the nightly within budget on a 2-core machine.
 */
const CONTAINER_SCENARIOS = new Set(['roll-forward', 'roll-back']);

/**
 * Runs only in the nightly tier (SKEW_E2E=full), each with the PR-tier test that already proves
 * the same thing. Keys: `scenario`, `scenario/deployer`, `scenario [world]/deployer`,
 * `scenario@cdn`, `scenario [world]`, `scenario (no deployment id)`, `scenario (no deployment id)/deployer`
 * or `scenario [world] (no deployment id)`.
 */
const NIGHTLY_ONLY: Record<string, string> = {
  'retention-1': 'retention-3 runs the same deployers and checks with a wider window',
  'retention-5': 'retention-3 runs the same deployers and checks with a narrower window',
  'purge-server-error/purge-fire-and-forget': "purge-rate-limited's negative control: same deployer, same checks",
  'purge-timeout/purge-fire-and-forget': "purge-rate-limited's negative control: same deployer, same checks",
  'keep-bad-static-15m/delete-bad-static-now': 'cleanup-too-early fails rollback-retention the same way',
  'roll-back@container': 'roll-forward proves the container runtime with the same nginx config',
  'roll-back (no deployment id)': 'roll-forward runs the same deployers without a deployment id in every world',
  'roll-back [rolling]': 'roll-forward holds a rollout mid-way with the same deployers and checks',
  'server-action-after-deploy [rolling]':
    'server-action-after-deploy [single-origin] runs the same deployers off the platform, roll-forward [rolling] the world',
  'server-action-after-deploy [single-origin]/own-routing-stopped': 'roll-forward [single-origin] catches the stopped server',
  'server-action-after-rollback/rollback-deletes-bad':
    "server-action-after-deploy/merged-store fails server-actions the same way: the tab's build has no server",
  'middleware-after-deploy/merged-store': "prefetched-link-after-deploy/merged-store: the same full page loads of B's pages",
  'ssg-data-after-deploy/merged-store': 'prefetched-link-after-deploy/merged-store; purge-listed-html runs beside it',
  'image-and-font-after-deploy/merged-store': "route-handler-pinned/merged-store: another build's answer in A's page (rendered-version)",
  'server-action-after-deploy [single-origin] (no deployment id)': 'the pinned variant names the same limit with the same deployer',
  'server-action-after-deploy [rolling] (no deployment id)': 'the pinned variant names the same limit with the same deployer',
  'roll-forward (no deployment id)/replace-in-place':
    "roll-forward/replace-in-place fires the same checks with an id; roll-forward (no deployment id)/releases-symlink proves the mode's verdicts (only no-hard-reload fails, recovered)",
  'roll-forward [single-origin] (no deployment id)':
    'roll-forward (no deployment id) proves recovery without an id, roll-forward [single-origin] the world, with the same checks',
  // Its deploy under the fault took 25 to 95 s on the same code (the held uploads meet the
  // deployer's health checks at varying moments): the largest swing of the PR tier.
  'store-shows-upload-late/releases-symlink':
    'store-applies-html-first/releases-symlink passes a good deployer under the same store-side hold (storage-hold); harness/faults/storage-visible-late.test.ts holds and shows real files under a watched action (its handle faked)',
  'roll-forward [rolling] (no deployment id)':
    'roll-forward (no deployment id) proves recovery without an id, roll-forward [rolling] the world, with the same checks',
};

/** The scenarios whose variants in every world run on each PR; the others' run there nightly. */
const WORLD_PROOFS = ['roll-forward', 'server-action-after-deploy'];

/** One Chromium per Playwright worker, as `skew run` has one per worker: each run's sessions are contexts in it. */
const test = base.extend<object, { browsers: BrowserPool }>({
  browsers: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const pool = new BrowserPool();
      await use(pool);
      await pool.close();
    },
    { scope: 'worker' },
  ],
});

/**
 * The PR tier runs a test only while it proves something no earlier test in the catalogue did:
 * a good deployer, that a check passes, a step kind plays, a fault, world, deployment-id mode or
 * CDN runtime runs clean; a broken one, that a check fires there; a recovering one, that its
 * users recover there. The others run nightly (SKEW_E2E=full), each naming the PR-tier tests
 * that prove its points. The listed exceptions (NIGHTLY_ONLY) come first.
 */
function tiered(listed: string | undefined, points: readonly string[], title: string): string | undefined {
  if (fullTier()) return undefined;
  return listed ?? alreadyProven(points, title);
}

const provenBy = new Map<string, string>();
function alreadyProven(points: readonly string[], title: string): string | undefined {
  const fresh = points.filter((p) => !provenBy.has(p));
  if (fresh.length) {
    for (const p of fresh) provenBy.set(p, title);
    return undefined;
  }
  const by = new Map<string, string[]>();
  for (const p of points) by.set(provenBy.get(p)!, [...(by.get(provenBy.get(p)!) ?? []), p]);
  return `every point is proven in the PR tier: ${[...by].map(([t, ps]) => `${ps.join(', ')} by "${t}"`).join('; ')}`;
}

function nightlyOnly(scenario: string, deployer: string, cdn: string, world: World, mode: DeploymentIdMode): string | undefined {
  if (fullTier()) return undefined;
  return (
    (mode === 'off' ? NIGHTLY_ONLY[`${scenario} [${world}] (no deployment id)`] : undefined) ??
    (mode === 'off' && world === 'pinned' ? NIGHTLY_ONLY[`${scenario} (no deployment id)/${deployer}`] : undefined) ??
    NIGHTLY_ONLY[scenario] ??
    NIGHTLY_ONLY[`${scenario}/${deployer}`] ??
    NIGHTLY_ONLY[`${scenario} [${world}]/${deployer}`] ??
    NIGHTLY_ONLY[`${scenario}@${cdn}`] ??
    NIGHTLY_ONLY[`${scenario} [${world}]`] ??
    (world !== 'pinned' && !WORLD_PROOFS.includes(scenario)
      ? `roll-forward [${world}] proves the world's stack, ${scenario} [pinned] its checks`
      : undefined) ??
    (mode === 'off' ? NIGHTLY_ONLY[`${scenario} (no deployment id)`] : undefined)
  );
}

/**
 * Each scenario in every world and deployment-id mode it applies to, with that place's reference
 * deployers: pinned on both CDN runtimes where CONTAINER_SCENARIOS says so, the rest on the
 * process runtime.
 */
const variants = CATALOGUE.flatMap((scenario) =>
  worldsOf(scenario).flatMap((world) =>
    deploymentIdsOf(scenario).flatMap((mode) =>
      cdnKinds()
        .filter((k) => k === 'process' || (world === 'pinned' && mode === 'on' && CONTAINER_SCENARIOS.has(scenario.name)))
        .map((cdn) => ({
          scenario,
          world,
          mode,
          cdn,
          refs: referencesIn(scenario, world, mode),
          tag: [...(world === 'pinned' ? [] : [world]), ...(mode === 'off' ? ['no deployment id'] : []), cdn].join(', '),
        })),
    ),
  ),
);

for (const { scenario, world, mode, cdn, refs, tag } of variants) {
  const run = (deployer: string, browsers: BrowserPool) =>
    runScenario({ scenario, deployer, cdn, world, deploymentId: mode, runsDir: RUNS_DIR, traces: 'off', browsers });
  const faults = scenario.steps.flatMap((s) => (s.kind === 'inject' ? [`fault ${(s as { fault: string }).fault}`] : []));
  // What a run proves beyond its own scenario: the checks it judges, the step kinds it plays,
  // the faults it injects, and where (world, deployment-id mode, CDN runtime).
  const plays = [...new Set(scenario.steps.map((s) => `plays ${s.kind}`))];
  const where = (what: string) => [...faults, `world ${world}`, `deployment id ${mode}`, `cdn ${cdn}`].map((w) => `${what} in ${w}`);
  // A fault kind's negative control is its check firing: proven once for the check, anywhere.
  const placesOnly = (what: string) => where(what).filter((p) => !p.includes(' in fault '));
  const good = refs.good;
  if (good) {
    const title = `${scenario.name} [${tag}]: ${good} keeps every session working`;
    const points = [...scenario.checks.map((c) => `passes ${c}`), ...plays, ...where('clean')];
    const skip = tiered(nightlyOnly(scenario.name, good, cdn, world, mode), points, title);
    test(title, async ({ browsers }) => {
      test.skip(skip !== undefined, `nightly tier: ${skip}`);
      const r = await run(good, browsers);
      expect(r.verdict, summary(r)).toBe('pass');
      expect(r.checks.map((c) => c.verdict)).not.toContain('inconclusive');
      expect(leftovers(r.runDir)).toEqual([]);
      expect(leftoverContainers([basename(r.runDir)])).toEqual([]);
    });
  }

  for (const deployer of refs.recovering ?? []) {
    const title = `${scenario.name} [${tag}]: ${deployer}'s users recover by navigation`;
    const skip = tiered(nightlyOnly(scenario.name, deployer, cdn, world, mode), [...where(`recovers with ${deployer}`)], title);
    test(title, async ({ browsers }) => {
      test.skip(skip !== undefined, `nightly tier: ${skip}`);
      const r = await run(deployer, browsers);
      const text = summary(r);
      // Not skew-free, not broken: every reload is one clean full page load of the live build.
      expect(
        r.checks.filter((c) => c.verdict !== 'pass').map((c) => c.check),
        text,
      ).toEqual(['no-hard-reload']);
      expect(r.checks.find((c) => c.check === 'recovers-by-navigation')!.evidence[0], text).toMatch(
        /^[1-9]\d* recovery\(ies\) by navigation/,
      );
      expect(leftovers(r.runDir)).toEqual([]);
      expect(leftoverContainers([basename(r.runDir)])).toEqual([]);
    });
  }

  for (const broken of refs.broken) {
    const title = `${scenario.name} [${tag}]: ${broken.deployer} is caught (${broken.fails.join(', ')})`;
    const skip = tiered(
      nightlyOnly(scenario.name, broken.deployer, cdn, world, mode),
      [...broken.fails.map((c) => `fires ${c}`), ...placesOnly('caught')],
      title,
    );
    test(title, async ({ browsers }) => {
      test.skip(skip !== undefined, `nightly tier: ${skip}`);
      // Traces are proven by cli.spec and playwright-fixtures.spec; here they would cost ~6 %.
      const r = await run(broken.deployer, browsers);
      const text = summary(r);
      expect(r.verdict, text).toBe('fail');
      // Where no deployer can pass, the verdict says why.
      expect(r.limit, text).toBe(refs.limit);
      for (const name of broken.fails) {
        const check = r.checks.find((c) => c.check === name);
        expect(check?.verdict, `${name}\n${text}`).toBe('fail');
        expect(check?.evidence.length, text).toBeGreaterThan(0);
      }
      // Chunk failures name the session, the step, the failure and the URL, and list the 404s.
      const chunk = r.checks.find((c) => c.check === 'no-chunk-load-error');
      if (broken.fails.includes('no-chunk-load-error')) {
        expect(chunk!.evidence.join('\n')).toMatch(
          /session \S+ at [\d.]+s during step \d+ \([^)]*\)+: (css-)?chunk-load-error for \/_next\/static\/\S+/,
        );
        expect(chunk!.evidence.join('\n')).toMatch(/404 \/_next\/static\/\S+/);
      }
      expect(leftovers(r.runDir)).toEqual([]);
      expect(leftoverContainers([basename(r.runDir)])).toEqual([]);
    });
  }
}
