import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { readAssets } from '../builds/asset-manifest.ts';
import { defaultBuildsDir } from '../builds/build-cache.ts';
import type { Build, Bundler } from '../builds/types.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { lock } from '../io/files.ts';
import { BUILD_RECORD, NO_DEPLOYMENT_ID, publishBuild, runNextBuild } from '../builds/next-build.ts';
import { standaloneServer } from '../builds/standalone.ts';
import { refuseUnsupportedConfig } from './app-config.ts';
import { copyMembers } from './workspace.ts';
import type { AppProject } from './project.ts';
import { appWorkRoot, copySource, dependencySnapshot, dependencyStamp, listSource, markVersion } from './work-copy.ts';

/** Part of the cache key: bump when the copy, marking or build procedure changes. */
const RECIPE = 'app-3';

export type BundlerChoice = Bundler | 'auto';

export interface AppBuildOptions {
  app: AppProject;
  variant: string;
  bundler?: BundlerChoice;
  buildsDir?: string;
  /** false: built without NEXT_DEPLOYMENT_ID (the app cannot carry one, or `--deployment-id off`); its release is named by its BUILD_ID. */
  withDeploymentId?: boolean;
  log?: (line: string) => void;
}

/**
 * The bundler and `next build` flags for an app: `auto` is what the app's own `build` script
 * asks for, else that Next version's default. Refuses combinations the version cannot build.
 */
export function bundlerFor(app: AppProject, choice: BundlerChoice, buildScript = ''): { bundler: Bundler; flags: string[] } {
  const scripted: Bundler | undefined = /\bnext\s+build\b[^&|;]*--(turbopack|turbo)\b/.test(buildScript)
    ? 'turbopack'
    : /\bnext\s+build\b[^&|;]*--webpack\b/.test(buildScript)
      ? 'webpack'
      : undefined;
  const bundler = choice === 'auto' ? (scripted ?? (app.nextMajor >= 16 ? 'turbopack' : 'webpack')) : choice;
  if (bundler === 'webpack') return { bundler, flags: app.nextMajor >= 16 ? ['--webpack'] : [] };
  if (app.nextMajor >= 16) return { bundler, flags: [] };
  const [, minor] = app.nextVersion.split('.').map(Number);
  if (app.nextMajor === 15 && (minor ?? 0) >= 3) return { bundler, flags: ['--turbopack'] };
  throw new HarnessError(
    'UNSUPPORTED_APP',
    `Next.js ${app.nextVersion} cannot make production builds with Turbopack (15.3 is the first)`,
    'run with --bundler webpack (or auto), or upgrade Next.js',
  );
}

/**
 * A build of the user's app as one version, from the cache when its source, dependencies,
 * variant, bundler and Next version are unchanged. The build runs in a copy under the work root
 * (the user's directory is only read), with `NEXT_DEPLOYMENT_ID` set, using the app's own Next.
 */
export async function getAppBuild(opts: AppBuildOptions): Promise<Build> {
  const { app } = opts;
  const log = opts.log ?? (() => {});
  const pkg = JSON.parse(await readFile(join(app.dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const { bundler, flags } = bundlerFor(app, opts.bundler ?? 'auto', pkg.scripts?.build);
  const files = await listSource(app);
  const stamp = await dependencyStamp(app);
  const hash = createHash('sha256');
  for (const f of files)
    hash
      .update(`${f}\0`)
      .update(await readFile(join(app.dir, f)))
      .update('\0');
  hash.update(`deps=${stamp}\0variant=${opts.variant}\0bundler=${bundler}\0next=${app.nextVersion}\0recipe=${RECIPE}`);
  const withDeploymentId = opts.withDeploymentId !== false;
  if (!withDeploymentId) hash.update('\0deployment-id=off');
  const key = `${app.name}-${hash.digest('hex').slice(0, 24)}`;
  const buildsDir = resolve(opts.buildsDir ?? defaultBuildsDir());
  const dir = join(buildsDir, key);

  const hit = await readRecord(dir);
  if (hit) return hit;
  const workDir = join(appWorkRoot(), `${app.name}-${createHash('sha256').update(app.dir).digest('hex').slice(0, 8)}`);
  const release = await lock(join(workDir, 'lock'));
  try {
    const again = await readRecord(dir);
    if (again) return again;
    const snapshot = await dependencySnapshot(app, workDir, stamp, log);
    const work = snapshot.app;
    await copySource(app.dir, work, files);
    const marked = await markVersion(work, files, opts.variant);
    if (app.workspace) {
      const packages = await copyMembers(app.workspace, snapshot.root, (d, f) => markVersion(d, f, opts.variant, { publicFile: false }));
      marked.modules += packages.modules;
      marked.styles += packages.styles;
    }
    const keptCache = join(workDir, `next-cache-${bundler}`);
    await mkdir(join(work, '.next'), { recursive: true });
    await rename(keptCache, join(work, '.next', 'cache')).catch(() => {});
    const deploymentId = `${opts.variant.toLowerCase()}-${key.slice(-10)}`;
    // Without one, its origins start without NEXT_DEPLOYMENT_ID too (the marker travels with every release copy).
    if (!withDeploymentId) await writeFile(join(work, NO_DEPLOYMENT_ID), 'built without a deployment id (skew)\n');
    const started = Date.now();
    try {
      await runNextBuild({
        // The next the app's own modules resolve (in a workspace: the one its install linked).
        nextBin: join(dirname(createRequire(join(work, 'package.json')).resolve('next/package.json')), 'dist', 'bin', 'next'),
        cwd: work,
        flags,
        deploymentId: withDeploymentId ? deploymentId : undefined,
        label: `${app.name} (${withDeploymentId ? deploymentId : `${opts.variant}, no deployment id`})`,
        log,
        hint: `the copy that failed is ${work}; the app's own \`next build\` must pass first (skew only adds one statement per module: see docs/app-mode.md)`,
      });
    } finally {
      await rename(join(work, '.next', 'cache'), keptCache).catch(() => {});
    }
    const buildMs = Date.now() - started;
    const served = await readServedConfig(work);
    const standalone = served.output === 'standalone' ? await prepareStandalone(work) : undefined;
    const buildId = (await readFile(join(work, '.next', 'BUILD_ID'), 'utf8')).trim();
    const { assets, publicFiles } = await readAssets(work, buildId);
    const staticPrefix = served.assetPrefix || served.basePath;
    const build: Build = {
      key,
      fixture: `app:${app.name}`,
      variant: opts.variant,
      schema: 1,
      bundler,
      nextVersion: app.nextVersion,
      dir: join(dir, 'app'),
      buildId,
      deploymentId: withDeploymentId ? deploymentId : buildId,
      ...(withDeploymentId ? {} : { withDeploymentId: false as const }),
      buildMs,
      cached: false,
      assets: assets.map((a) => ({ ...a, url: staticPrefix + a.url })),
      publicFiles: publicFiles.map((p) => served.basePath + p),
      app: {
        name: app.name,
        source: app.dir,
        packageManager: app.packageManager,
        basePath: served.basePath,
        staticPrefix,
        ...(standalone ? { standalone } : {}),
        dependencies: snapshot.nodeModules,
        marked,
      },
    };
    // Releases are copies of this directory: they reach the app's dependencies through this link.
    // In a workspace the copy holds the app's own node_modules, which the next build needs again.
    const own = join(snapshot.root, '.app-node_modules');
    const kept = await rename(join(work, 'node_modules'), own).then(
      () => true,
      () => false,
    );
    try {
      await publishBuild(buildsDir, build, work, (copy) => symlink(snapshot.nodeModules, join(copy, 'node_modules')));
    } finally {
      if (kept) {
        await mkdir(work, { recursive: true });
        await rename(own, join(work, 'node_modules'));
      }
    }
    return build;
  } finally {
    await release();
  }
}

async function readRecord(dir: string): Promise<Build | undefined> {
  const text = await readFile(join(dir, BUILD_RECORD), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const b = JSON.parse(text) as Build;
  // The dependency snapshot lives in the work root; a cleared cache means building again.
  if (b.app && !existsSync(b.app.dependencies)) return undefined;
  return { ...b, dir: join(dir, 'app'), cached: true };
}

interface ServedConfig {
  basePath: string;
  assetPrefix: string;
  output?: string;
}

/** How the build is served, from `.next/required-server-files.json` (written by every server build). */
async function readServedConfig(work: string): Promise<ServedConfig> {
  const text = await readFile(join(work, '.next', 'required-server-files.json'), 'utf8').catch(() => undefined);
  if (text === undefined) {
    throw new HarnessError(
      'UNSUPPORTED_APP',
      "the build has no server output (.next/required-server-files.json): the app uses `output: 'export'`",
      'a static export has no Next server to skew against; serve it as plain files, or test a server build',
    );
  }
  const c = (JSON.parse(text) as { config: { basePath?: string; assetPrefix?: string; output?: string } }).config;
  const served = {
    basePath: c.basePath ?? '',
    assetPrefix: (c.assetPrefix ?? '').replace(/\/$/, ''),
    ...(c.output ? { output: c.output } : {}),
  };
  // Also checked before building (inspectApp); here for a config that reads the build's own environment.
  refuseUnsupportedConfig(served);
  return served;
}

/**
 * `output: 'standalone'` as Next's docs deploy it: `.next/static` and `public/` copied next to
 * the traced `server.js`. Returns server.js relative to the build directory.
 */
async function prepareStandalone(work: string): Promise<string> {
  const base = join(work, '.next', 'standalone');
  const server = await standaloneServer(work);
  if (!server)
    throw new HarnessError(
      'BUILD_FAILED',
      `output: 'standalone' built no server.js under ${base}`,
      "run the app's own `next build` and look for .next/standalone/**/server.js",
    );
  const appRoot = join(server, '..');
  await cp(join(work, '.next', 'static'), join(appRoot, '.next', 'static'), { recursive: true });
  if (existsSync(join(work, 'public'))) await cp(join(work, 'public'), join(appRoot, 'public'), { recursive: true });
  return relative(work, server);
}
