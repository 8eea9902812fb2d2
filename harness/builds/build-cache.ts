import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { ActionIds } from '../core/scenario.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { SCHEMAS } from '../core/schema-levels.ts';
import { lock } from '../io/files.ts';
import { BUILD_RECORD, NO_DEPLOYMENT_ID, publishBuild, runNextBuild } from './next-build.ts';
import { PACKAGE_ROOT } from '../io/package-root.ts';
import { readAssets } from './asset-manifest.ts';
import { versionImage } from './version-image.ts';
import type { Build, Bundler } from './types.ts';
import { type NextInstall, ownNext } from './next-versions.ts';

/** skew's package: this checkout, or the installed package (fixtures and builds live there). */
export const REPO_ROOT = PACKAGE_ROOT;

/**
 * Where every `next build` runs, one directory per fixture, the same path for every version.
 * Turbopack derives module ids and CSS class names from the path below `turbopack.root`, so
 * building A and B at one path keeps unchanged chunks byte-identical (as in a real CI checkout)
 * and makes a rebuild of a key reproducible. It lives in the repo so node_modules resolve.
 * Its `.next/cache` is kept between builds: Turbopack then builds in ~4 s instead of ~11 s.
 */
export const WORK_DIR = join(REPO_ROOT, 'builds', '.work');

/**
 * Where finished builds are kept: `SKEW_BUILDS_DIR` (a CI cache's path) or `<repo>/builds`.
 * The build's work folder and its kept `.next/cache` stay under `<repo>/builds/.work` either way.
 */
export function defaultBuildsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SKEW_BUILDS_DIR || join(REPO_ROOT, 'builds'));
}

/** Part of the cache key: bump when the build procedure or the generated files change. */
const RECIPE = 'fixed-work-dir-4';

export interface GetBuildOptions {
  fixture?: string;
  fixturesDir?: string;
  variant: string;
  /** Database schema the version's code reads and migrates to (db/migrations/001…N). Default 1. */
  schema?: number;
  bundler?: Bundler;
  buildsDir?: string;
  /** False: built without a deployment id, as most self-hosted apps are (`--deployment-id off`). */
  withDeploymentId?: boolean;
  /** How Server Action ids are salted (see ActionIds). Default `per-build`. */
  actionIds?: ActionIds;
  /** The Next.js to build with (`--next`): skew's own by default. */
  next?: NextInstall;
  log?: (line: string) => void;
}

/**
 * Next salts each Server Action's id with the build's NEXT_SERVER_ACTIONS_ENCRYPTION_KEY.
 * `per-build`: a key of its own per build (what a Docker build does: Next keeps no key there),
 * so an old tab's action id is unknown to a new build's server. `shared`: one key for every
 * build (set once in CI as Next's self-hosting guide advises, or a `.next/cache` kept between
 * builds outside Docker), so ids match across builds and a new server runs an old tab's call.
 * Set explicitly either way: a build's ids never depend on whether skew itself runs in Docker.
 */
const SHARED_ACTIONS_KEY = createHash('sha256').update('skew shared server actions key').digest('base64');

/** Files of a fixture that are not its source. */
const NOT_SOURCE = new Set(['.next', 'node_modules', 'next-env.d.ts', '.turbo']);

const inFlight = new Map<string, Promise<Build>>();

/**
 * A build of a fixture as one version, from the cache when source, variant, bundler and Next
 * version are unchanged. `builds/<key>/build.json` is written before the directory is renamed
 * into place and marks a complete build: an interrupted build never leaves `builds/<key>`.
 */
export async function getBuild(opts: GetBuildOptions): Promise<Build> {
  const fixture = opts.fixture ?? 'app';
  const fixtureDir = join(opts.fixturesDir ?? join(REPO_ROOT, 'fixtures'), fixture);
  const bundler = opts.bundler ?? 'turbopack';
  const buildsDir = resolve(opts.buildsDir ?? defaultBuildsDir());
  const next = opts.next ?? ownNext();
  const nextVersion = next.version;
  const files = await sourceFiles(fixtureDir).catch((cause: unknown) => {
    throw new HarnessError(
      'BUILD_FAILED',
      `fixture "${fixture}" not found at ${fixtureDir}`,
      'fixtures live in fixtures/<name>/ with a next.config.mjs',
      { cause },
    );
  });
  const hash = createHash('sha256');
  for (const f of files)
    hash
      .update(`${f}\0`)
      .update(await readFile(join(fixtureDir, f)))
      .update('\0');
  const schema = opts.schema ?? 1;
  if (!SCHEMAS[schema])
    throw new HarnessError(
      'INVALID_OPTION',
      `no database schema ${schema} in the fixture`,
      `choose one of ${Object.keys(SCHEMAS).join(', ')}`,
    );
  hash.update(`variant=${opts.variant}\0schema=${schema}\0bundler=${bundler}\0next=${nextVersion}\0recipe=${RECIPE}`);
  const withDeploymentId = opts.withDeploymentId !== false;
  if (!withDeploymentId) hash.update('\0deployment-id=off');
  const actionIds = opts.actionIds ?? 'per-build';
  if (actionIds !== 'per-build') hash.update(`\0action-ids=${actionIds}`);
  const key = hash.digest('hex');

  // Concurrent callers for one key share one build; it counts as a cache hit for the joiners.
  // The entry lives only while the build runs: afterwards build.json is the cache.
  const id = `${buildsDir}:${key}`;
  const running = inFlight.get(id);
  if (running) return running.then((b) => ({ ...b, cached: true }));
  const p = buildOnce({
    key,
    fixture,
    fixtureDir,
    files,
    variant: opts.variant,
    schema,
    bundler,
    buildsDir,
    nextVersion,
    next,
    withDeploymentId,
    actionIds,
    log: opts.log ?? (() => {}),
  });
  inFlight.set(id, p);
  p.finally(() => inFlight.delete(id)).catch(() => {});
  return p;
}

interface BuildJob {
  key: string;
  fixture: string;
  fixtureDir: string;
  files: string[];
  variant: string;
  schema: number;
  bundler: Bundler;
  buildsDir: string;
  nextVersion: string;
  next: NextInstall;
  withDeploymentId: boolean;
  actionIds: ActionIds;
  log: (line: string) => void;
}

async function buildOnce(j: BuildJob): Promise<Build> {
  const dir = join(j.buildsDir, j.key);
  const hit = await readRecord(dir);
  if (hit) return hit;
  const release = await lock(join(workRootOf(j.next), `${j.fixture}.lock`));
  try {
    // Another process may have completed this key while we waited.
    return (await readRecord(dir)) ?? (await buildLocked(j, dir));
  } finally {
    await release();
  }
}

async function readRecord(dir: string): Promise<Build | undefined> {
  const text = await readFile(join(dir, BUILD_RECORD), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : { ...(JSON.parse(text) as Build), dir: join(dir, 'app'), cached: true };
}

async function buildLocked(j: BuildJob, dir: string): Promise<Build> {
  const deploymentId = `${j.variant.toLowerCase()}-${j.key.slice(0, 10)}`;
  const work = join(workRootOf(j.next), j.fixture);
  const app = join(work, 'app');
  const keptCache = join(work, 'next-cache');
  await rm(app, { recursive: true, force: true });
  await mkdir(join(app, '.next'), { recursive: true });
  for (const f of j.files) await cp(join(j.fixtureDir, f), join(app, f));
  await writeVariant(app, j.variant, j.schema);
  if (j.next.major < 16) await proxyAsMiddleware(app);
  // Without a deployment id the fixture takes its build id from SKEW_BUILD_ID (a commit-like id)
  // and ignores NEXT_DEPLOYMENT_ID, at build and at `next start` (the marker travels with it).
  if (!j.withDeploymentId) await writeFile(join(app, NO_DEPLOYMENT_ID), 'built without a deployment id (skew --deployment-id off)\n');
  await rename(keptCache, join(app, '.next', 'cache')).catch(() => {});

  const started = Date.now();
  try {
    // node_modules/.bin/next is a symlink to this file; running it with our own node keeps Node 24.
    await runNextBuild({
      nextBin: j.next.nextBin,
      cwd: app,
      // Turbopack is 16's default and a flag before it; webpack the reverse.
      flags: j.next.major >= 16 ? (j.bundler === 'webpack' ? ['--webpack'] : []) : j.bundler === 'turbopack' ? ['--turbopack'] : [],
      deploymentId: j.withDeploymentId ? deploymentId : undefined,
      env: {
        SKEW_REPO_ROOT: j.next.own ? REPO_ROOT : j.next.root,
        // The fixture is type-checked against skew's own Next (npm run typecheck); another
        // version's types are not what it is written for.
        ...(j.next.own ? {} : { SKEW_NO_TYPECHECK: '1' }),
        NEXT_SERVER_ACTIONS_ENCRYPTION_KEY:
          j.actionIds === 'shared' ? SHARED_ACTIONS_KEY : createHash('sha256').update(`actions ${j.key}`).digest('base64'),
        ...(j.withDeploymentId ? {} : { SKEW_BUILD_ID: deploymentId }),
      },
      label: `${deploymentId} (${j.bundler})`,
      log: j.log,
      hint: `see the build output below; the failing copy is in ${app} (cd there and run \`next build\` to reproduce)`,
    });
  } finally {
    await rename(join(app, '.next', 'cache'), keptCache).catch(() => {});
  }
  const buildMs = Date.now() - started;

  const buildId = (await readFile(join(app, '.next', 'BUILD_ID'), 'utf8')).trim();
  const { assets, publicFiles } = await readAssets(app, buildId);
  const build: Build = {
    key: j.key,
    fixture: j.fixture,
    variant: j.variant,
    schema: j.schema,
    bundler: j.bundler,
    nextVersion: j.nextVersion,
    dir: join(dir, 'app'),
    buildId,
    deploymentId,
    ...(j.withDeploymentId ? {} : { withDeploymentId: false as const }),
    ...(j.actionIds === 'shared' ? { actionIds: 'shared' as const } : {}),
    assets,
    publicFiles,
    buildMs,
    cached: false,
  };

  // Built with another Next: the build (and every release copied from it) starts with that one.
  const nextRoot = j.next.root;
  await publishBuild(
    j.buildsDir,
    build,
    app,
    j.next.own
      ? undefined
      : async (copy) => {
          await rm(join(copy, 'node_modules'), { recursive: true, force: true });
          await symlink(join(nextRoot, 'node_modules'), join(copy, 'node_modules'));
        },
  );
  return build;
}

/** Where the fixture is built: in the repository for skew's own Next, next to the installed one otherwise. */
function workRootOf(next: NextInstall): string {
  return next.own ? WORK_DIR : join(next.root, 'work');
}

/** Next 15 knows the proxy by its old name: `middleware.ts`, exporting `middleware`. */
async function proxyAsMiddleware(app: string): Promise<void> {
  const proxy = join(app, 'proxy.ts');
  const text = await readFile(proxy, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  await writeFile(join(app, 'middleware.ts'), `${text}\nexport { proxy as middleware };\n`);
  await rm(proxy);
}

/**
 * The build-time variant, from outside the source: generated modules the app imports, and
 * public files. Chunk and CSS hashes differ between versions because these contents do.
 */
async function writeVariant(app: string, variant: string, schema: number): Promise<void> {
  const accent = `#${createHash('md5').update(variant).digest('hex').slice(0, 6)}`;
  const v = JSON.stringify(variant);
  const header = `/* generated by skew for version ${variant} */\n`;
  const files: Record<string, string> = {
    'generated/variant.ts': `// generated by skew for version ${variant}\nexport const VERSION = ${v};\nexport const ACCENT = ${JSON.stringify(accent)};\n`,
    // Lazy-only modules carry their own copy, so their chunks change too (see the placeholders).
    'generated/lazy.ts': `// generated by skew for version ${variant}\nexport const VERSION = ${v};\n`,
    'generated/panel.ts': `// generated by skew for version ${variant}\nexport const VERSION = ${v};\n`,
    'generated/variant.module.css': `${header}.badge { color: ${accent}; }\n.badge::after { content: " (${variant})"; }\n`,
    'generated/lazy.module.css': `${header}.lazy { border-left: 4px solid ${accent}; padding-left: 0.5rem; --skew-version: ${v}; }\n`,
    'generated/panel.module.css': `${header}.accent { background: ${accent}22; --skew-version: ${v}; }\n`,
    'public/version.txt': `${variant}\n`,
    'generated/schema.ts': `// generated by skew for version ${variant}\nexport const SCHEMA = ${schema};\nexport const READ_PROFILE = ${JSON.stringify(SCHEMAS[schema]!.read)};\n`,
    ...Object.fromEntries(
      Object.entries(SCHEMAS)
        .filter(([n]) => Number(n) > 1 && Number(n) <= schema)
        .map(([, s]) => [`db/migrations/${s.migration!.file}`, s.migration!.sql]),
    ),
    'public/logo.svg': `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="${accent}"/></svg>\n`,
  };
  // Images through next/image: one from public/ (same URL in every build), one imported (hashed).
  const images = { 'public/pixel.png': versionImage(variant, 'public'), 'generated/badge.png': versionImage(variant, 'static') };
  for (const [rel, content] of [...Object.entries(files), ...Object.entries(images)]) {
    await mkdir(dirname(join(app, rel)), { recursive: true });
    await writeFile(join(app, rel), content);
  }
}

/** Files of a directory tree below `root` except NOT_SOURCE, sorted, relative. */
export async function sourceFiles(root: string, dir = root, skip: Set<string> = NOT_SOURCE): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (skip.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(root, p, skip)));
    else if (e.isFile()) out.push(relative(root, p));
  }
  return out;
}
