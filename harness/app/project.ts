import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { HarnessError } from '../errors/harness-error.ts';
import { aKind, pathKind } from '../io/path-kind.ts';
import { type AppConfig, loadAppConfig, refuseUnsupportedConfig } from './app-config.ts';
import { findWorkspace, type PackageManager, type Workspace } from './workspace.ts';

export type { PackageManager } from './workspace.ts';

/** A user's Next.js project as found on disk, before anything is copied or built. */
export interface AppProject {
  /** Absolute path of the project (the directory holding its package.json). */
  dir: string;
  /** package.json name, or the directory name; used in work-dir names and reports. */
  name: string;
  packageManager: PackageManager;
  /** The lockfile the package manager was detected from (relative to dir), if any. */
  lockfile?: string;
  /** The installed Next.js: the app's own, never ours. */
  nextVersion: string;
  nextMajor: number;
  /** The project's own node_modules (what the work copy links to). */
  nodeModules: string;
  /** next.config as the app's Next loads it for a build (absent only for a Next without the loader). */
  config?: AppConfig;
  /** The workspace the app is a package of (its next resolves from the workspace's install). */
  workspace?: Workspace;
}

const LOCKFILES: [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

export const SUPPORTED_NEXT = { min: 14, max: 16 };

export const INSTALL: Record<PackageManager, string> = {
  npm: 'npm ci',
  pnpm: 'pnpm install --frozen-lockfile',
  yarn: 'yarn install --frozen-lockfile',
  bun: 'bun install --frozen-lockfile',
};

/**
 * Reads what skew needs to know about a project without touching it: its package manager, the
 * Next.js it has installed, where its dependencies are. Every refusal names the cause and the fix.
 */
export async function inspectApp(path: string): Promise<AppProject> {
  const dir = resolve(path);
  // "no package.json in" a file, or in a folder that is not there, sent people looking for one.
  const kind = await pathKind(dir);
  if (kind !== 'folder')
    throw new HarnessError(
      'INVALID_APP',
      kind === 'missing' ? `app folder ${dir} does not exist` : `app ${dir} is ${aKind(kind)}, not a folder`,
      '--app takes the directory of a Next.js project (the one holding package.json and next.config.*)',
    );
  const pkgText = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
  if (pkgText === undefined) {
    throw new HarnessError(
      'INVALID_APP',
      `no package.json in ${dir}`,
      '--app takes the directory of a Next.js project (the one holding package.json and next.config.*)',
    );
  }
  let pkg: { name?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(pkgText) as typeof pkg;
  } catch (e) {
    throw new HarnessError('INVALID_APP', `${join(dir, 'package.json')} is not valid JSON`, 'fix the file (npm would refuse it too)', {
      cause: e,
    });
  }
  if (!pkg.dependencies?.next && !pkg.devDependencies?.next) {
    throw new HarnessError(
      'INVALID_APP',
      `${dir} does not depend on next`,
      'point --app at the Next.js app itself (in a monorepo: the package whose package.json lists "next")',
    );
  }
  const found = LOCKFILES.find(([f]) => existsSync(join(dir, f)));
  // Without a lockfile (a `pnpm deploy` copy), pnpm's install still leaves its mark.
  const packageManager: PackageManager = found?.[1] ?? (existsSync(join(dir, 'node_modules', '.modules.yaml')) ? 'pnpm' : 'npm');
  if (existsSync(join(dir, '.pnp.cjs'))) {
    throw new HarnessError(
      'UNSUPPORTED_APP',
      `${dir} uses Yarn Plug'n'Play (.pnp.cjs): there is no node_modules to build and start from`,
      'set `nodeLinker: node-modules` in .yarnrc.yml and run `yarn install`, then retry',
    );
  }
  const nextPkg = resolveNext(dir);
  if (!nextPkg) {
    const ws = await findWorkspace(dir);
    throw new HarnessError(
      'APP_NOT_INSTALLED',
      `next is not installed for ${dir} (no node_modules/next${ws ? ` there or at the ${ws.manager} workspace's root` : ''})`,
      `install the app's dependencies first: cd ${ws?.root ?? dir} && ${INSTALL[ws?.manager ?? packageManager]}`,
    );
  }
  // pnpm's default layout resolves next to `node_modules/.pnpm/next@…/node_modules/next`: still
  // the app's own install. Only a resolution outside the app is a hoisted workspace.
  const own = await realpath(join(dir, 'node_modules')).catch(() => join(dir, 'node_modules'));
  const resolvedFrom = dirname(dirname(nextPkg));
  const nodeModules = resolvedFrom === own || resolvedFrom.startsWith(`${own}/`) ? own : resolvedFrom;
  // A package of a workspace: its dependencies resolve from the workspace's install (npm and
  // yarn hoist them to the root; pnpm links them from its store there). The snapshot mirrors it.
  const workspace = nodeModules !== own ? await findWorkspace(dir) : undefined;
  if (nodeModules !== own && !(workspace && (resolvedFrom + sep).startsWith(workspace.root + sep))) {
    throw new HarnessError(
      'UNSUPPORTED_APP',
      `next resolves from ${nodeModules}, outside the app and any workspace it belongs to (a hoisted install)`,
      `install the app on its own inside ${dir} (\`${INSTALL[packageManager]}\`), or run skew from a checkout of just that app`,
    );
  }
  if (workspace?.manager === 'bun') {
    throw new HarnessError(
      'UNSUPPORTED_APP',
      `${dir} is a package of the bun workspace at ${workspace.root}, and skew has not been tried on bun's layout`,
      `make a standalone install of the app (its own node_modules, e.g. with npm), then point --app at it`,
    );
  }
  const nextVersion = (JSON.parse(await readFile(nextPkg, 'utf8')) as { version: string }).version;
  const nextMajor = Number(nextVersion.split('.')[0]);
  if (!(nextMajor >= SUPPORTED_NEXT.min && nextMajor <= SUPPORTED_NEXT.max)) {
    throw new HarnessError(
      'UNSUPPORTED_APP',
      `the app has Next.js ${nextVersion}; skew supports ${SUPPORTED_NEXT.min}.x–${SUPPORTED_NEXT.max}.x`,
      nextMajor < SUPPORTED_NEXT.min
        ? 'deployment ids and ?dpl= pinning need Next 14 or later: upgrade the app'
        : 'this Next.js is newer than skew knows: update skew',
    );
  }
  // Read before anything is built: a config skew cannot test is refused in a second, not after two builds.
  const config = await loadAppConfig(dir, dirname(nextPkg));
  if (config) refuseUnsupportedConfig(config);
  return {
    dir,
    name: sanitize(pkg.name ?? basename(dir)),
    packageManager,
    ...(found ? { lockfile: found[0] } : {}),
    nextVersion,
    nextMajor,
    nodeModules,
    ...(config ? { config } : {}),
    ...(workspace ? { workspace, packageManager: workspace.manager } : {}),
  };
}

function resolveNext(dir: string): string | undefined {
  try {
    return createRequire(join(dir, 'package.json')).resolve('next/package.json');
  } catch {
    return undefined;
  }
}

function sanitize(name: string): string {
  return (
    name
      .replace(/^@/, '')
      .replace(/[^a-zA-Z0-9_-]+/g, '-')
      .slice(0, 40) || 'app'
  );
}
