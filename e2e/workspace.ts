import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installFromLockfile, LOCKFILE, type PackageManager, resolveLockfile } from './corpus-generated.ts';
import { workDir } from './support.ts';

/**
 * test/workspace: a monorepo in the shape of Turborepo's basic example (apps/web depends on
 * @repo/ui through transpilePackages and extends @repo/typescript-config's tsconfig), written
 * once for npm and yarn workspaces and turned into a pnpm workspace (pnpm-workspace.yaml,
 * `workspace:*`) as pnpm's docs write one. Each manager's resolved lockfile is in locks/.
 */
const SOURCE = resolve('test/workspace');

/** The workspace laid out for one package manager in `dir` (no install). */
export function writeWorkspace(pm: PackageManager, dir: string): void {
  cpSync(SOURCE, dir, { recursive: true, filter: (src) => !/\/(node_modules|\.next|locks)(\/|$)/.test(src) });
  if (pm !== 'pnpm') return;
  const root = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { workspaces?: string[] };
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), `packages:\n${(root.workspaces ?? []).map((g) => `  - '${g}'\n`).join('')}`);
  delete root.workspaces;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(root, null, 2)}\n`);
  for (const pkg of ['apps/web', 'packages/ui']) {
    const file = join(dir, pkg, 'package.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/("@repo\/[a-z-]+": )"\*"/g, '$1"workspace:*"'));
  }
}

/** A fresh copy of the workspace for `pm`, installed from its committed lockfile; returns the app's folder (apps/web). */
export function installWorkspace(pm: PackageManager): string {
  const dir = join(workDir(`workspace-${pm}`), 'acme');
  writeWorkspace(pm, dir);
  cpSync(join(SOURCE, 'locks', LOCKFILE[pm]), join(dir, LOCKFILE[pm]));
  installFromLockfile(dir, pm);
  return join(dir, 'apps', 'web');
}

/** Resolves each manager's lockfile into test/workspace/locks (run after changing a manifest). */
export function lockWorkspace(pm: PackageManager): void {
  const dir = join(workDir(`workspace-lock-${pm}`), 'acme');
  try {
    writeWorkspace(pm, dir);
    cpSync(resolveLockfile(dir, pm), join(SOURCE, 'locks', LOCKFILE[pm]));
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}
