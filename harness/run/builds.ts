import { type BundlerChoice, getAppBuild } from '../app/app-build.ts';
import type { AppProject } from '../app/project.ts';
import { getBuild } from '../builds/build-cache.ts';
import { checkNextVersion, installNext } from '../builds/next-versions.ts';
import { HarnessError } from '../errors/harness-error.ts';
import type { Build, Bundler } from '../builds/types.ts';
import type { ActionIds, DeploymentIdMode } from '../core/scenario.ts';

export interface BuildRequest {
  /** Version letters (A, B, …), each a build of the same app with its own deployment id. */
  versions: readonly string[];
  /** A user's Next.js project instead of skew's fixture app. */
  app?: AppProject | undefined;
  /** `auto`: turbopack for the fixture; for an app, what its build script or Next version uses. */
  bundler?: BundlerChoice | undefined;
  /** The database schema each version's code reads (fixture only; default 1). */
  schema?: Record<string, number> | undefined;
  buildsDir?: string | undefined;
  /** The A→A control: every version is the first version's build. */
  asControl?: boolean | undefined;
  /** `off`: the fixture built without a deployment id (a user's app: not yet; see docs/worlds.md). */
  deploymentId?: DeploymentIdMode | undefined;
  /** How the fixture's Server Action ids are salted (harness/builds/build-cache.ts); an app's own build decides its own. */
  actionIds?: ActionIds | undefined;
  /** An exact Next.js version to build the fixture with (`--next`; '' or absent: skew's own). */
  next?: string | undefined;
  log?: (line: string) => void;
}

/**
 * Every version's build, from the cache when its source is unchanged (keyed by source, variant,
 * bundler and Next version: only a first run builds). The one loop a scenario run and the
 * Playwright fixtures build through.
 */
export async function buildVersions(r: BuildRequest): Promise<{ builds: Record<string, Build>; bundler: Bundler }> {
  const log = r.log ?? (() => {});
  const first = r.versions[0];
  if (r.next) checkNextVersion(r.next, r.app);
  const next = r.next ? await installNext(r.next, log) : undefined;
  // auto: each Next's default bundler (Turbopack from 16, webpack before).
  let bundler: Bundler =
    r.bundler === 'auto' || r.bundler === undefined ? ((next?.major ?? 16) >= 16 ? 'turbopack' : 'webpack') : r.bundler;
  const builds: Record<string, Build> = {};
  for (const v of r.versions) {
    // The control deploys the first version's build again wherever the scenario names another.
    if (r.asControl && first && v !== first) {
      builds[v] = builds[first]!;
      log(`control: version ${v} is ${first}'s build again`);
      continue;
    }
    log(`build ${v}${r.app ? ` of ${r.app.name}` : ''} (${r.app ? (r.bundler ?? 'auto') : bundler})…`);
    // Build output is kept for errors (BUILD_FAILED shows its tail), not streamed: CI logs stay readable.
    const dir = r.buildsDir ? { buildsDir: r.buildsDir } : {};
    const b = r.app
      ? await getAppBuild({
          app: r.app,
          variant: v,
          bundler: r.bundler ?? 'auto',
          ...dir,
          ...(r.deploymentId === 'off' ? { withDeploymentId: false } : {}),
          log: () => {},
        })
      : await getBuild({
          variant: v,
          schema: r.schema?.[v] ?? 1,
          bundler,
          ...dir,
          ...(r.deploymentId === 'off' ? { withDeploymentId: false } : {}),
          ...(r.actionIds ? { actionIds: r.actionIds } : {}),
          ...(next ? { next } : {}),
        });
    builds[v] = b;
    bundler = b.bundler;
    log(
      `build ${v}: ${b.cached ? 'cached' : `built in ${(b.buildMs / 1000).toFixed(1)} s`} (${b.withDeploymentId === false ? `no deployment id, build id ${b.buildId}` : `deployment ${b.deploymentId}`})`,
    );
  }
  // A control deploys one build under two names: only distinct builds can collide.
  const distinct = [...new Map(Object.entries(builds).map(([v, b]) => [b.key, [v, b] as const])).values()];
  for (const [id, group] of Map.groupBy(distinct, ([, b]) => b.buildId))
    if (r.app && group.length > 1 && r.deploymentId === 'off')
      // Named by build id, the releases would be one folder: so would the team's own.
      throw new HarnessError(
        'UNSUPPORTED_APP',
        `${group.map(([v]) => v).join(' and ')} share BUILD_ID ${id} and carry no deployment id: a release named by its build id (the only name such a build has) is the same folder for both, here and in your own release store`,
        'set generateBuildId in next.config (e.g. to the commit: process.env.GIT_SHA), or give the builds a deployment id (NEXT_DEPLOYMENT_ID)',
      );
    else if (r.app && group.length > 1)
      log(
        `finding: ${group.map(([v]) => v).join(' and ')} share BUILD_ID ${id} (no generateBuildId in next.config): their _next/static/${id}/ manifests collide wherever both builds are kept; set generateBuildId (e.g. to the commit) and deploymentId (build-id-pinning judges it)`,
      );
  return { builds, bundler };
}
