import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * Where a generated corpus app comes from: a starter that teams really begin with, published on
 * the npm registry (the only network this machine reaches) at a pinned version. Either its CLI,
 * run as its documentation shows with every prompt answered by a flag, or a folder of its
 * package that is a whole app. Only the lockfile we resolved for it (and its SOURCE.md) is
 * committed, in test/apps/<name>/; the code is generated at test time, as a team's is.
 */
export interface Generator {
  /** The starter package, pinned: `create-next-app@14.0.4`. */
  npm: string;
  /** Its command line after the project name (a CLI)… */
  args?: string[];
  /** …or the folder of its package that is the app (`templates/next`). */
  folder?: string;
}

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

const QUIET = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', CI: '1' };

/** The lockfile each package manager installs from. */
export const LOCKFILE: Record<PackageManager, string> = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock' };

/** pnpm and yarn as this machine runs them: through npx, pinned (pnpm 10: create-next-app 16 writes settings-only pnpm-workspace.yaml files that pnpm 9 refuses; yarn classic). */
export const PM_COMMAND: Record<PackageManager, [string, string[]]> = {
  npm: ['npm', []],
  pnpm: ['npx', ['--yes', 'pnpm@10.34.8']],
  yarn: ['npx', ['--yes', 'yarn@1.22.22']],
};

/** Generates the app into `dir` (which must not exist yet): the starter's CLI, or its folder copied out of its package. */
export function generate(from: Generator, dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  if (from.args) {
    execFileSync('npx', ['--yes', from.npm, basename(dir), ...from.args], {
      cwd: dirname(dir),
      stdio: 'pipe',
      timeout: 5 * 60_000,
      env: { ...process.env, ...QUIET },
    });
  } else {
    const tmp = mkdtempSync(join(tmpdir(), 'skew-corpus-pack-'));
    try {
      const out = execFileSync('npm', ['pack', from.npm, '--pack-destination', tmp, '--json'], {
        stdio: 'pipe',
        timeout: 5 * 60_000,
        env: { ...process.env, ...QUIET },
      }).toString();
      const [packed] = JSON.parse(out) as { filename: string }[];
      execFileSync('tar', ['-xzf', join(tmp, packed!.filename), '-C', tmp]);
      cpSync(join(tmp, 'package', from.folder ?? '.'), dir, { recursive: true });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (!existsSync(join(dir, 'package.json')))
    throw new Error(`${from.npm} wrote no package.json in ${dir}: ${readdirSync(dirname(dir)).join(', ')}`);
  // Starters ship their .gitignore as `gitignore` or `_gitignore` (npm drops a package's
  // .gitignore) and rename it when they copy a template; a copied folder does not.
  for (const name of ['gitignore', '_gitignore'])
    if (existsSync(join(dir, name)) && !existsSync(join(dir, '.gitignore'))) cpSync(join(dir, name), join(dir, '.gitignore'));
}

/** Installs an app's dependencies from its lockfile, with its package manager, as its CI would. */
export function installFromLockfile(dir: string, pm: PackageManager): void {
  const [cmd, pre] = pm === 'pnpm' ? ['npx', ['--yes', pnpmOf(dir)]] : PM_COMMAND[pm];
  const args =
    pm === 'npm'
      ? ['ci', '--prefer-offline']
      : pm === 'pnpm'
        ? ['install', '--frozen-lockfile']
        : ['install', '--frozen-lockfile', '--non-interactive'];
  execFileSync(cmd, [...pre, ...args], { cwd: dir, stdio: 'pipe', timeout: 8 * 60_000, env: { ...process.env, ...QUIET } });
}

/** The pnpm an app's package.json names (`packageManager`, the one its lockfile was written with), else ours. */
function pnpmOf(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { packageManager?: string };
  return pkg.packageManager?.startsWith('pnpm@') ? pkg.packageManager.split('+')[0]! : PM_COMMAND.pnpm[1][1]!;
}

/** Resolves the dependencies of a freshly generated app into a lockfile, without installing where the package manager allows it. */
export function resolveLockfile(dir: string, pm: PackageManager): string {
  const [cmd, pre] = PM_COMMAND[pm];
  const args =
    pm === 'npm'
      ? ['install', '--package-lock-only', '--ignore-scripts']
      : pm === 'pnpm'
        ? ['install', '--lockfile-only', '--ignore-scripts']
        : ['install', '--ignore-scripts', '--non-interactive'];
  execFileSync(cmd, [...pre, ...args], { cwd: dir, stdio: 'pipe', timeout: 8 * 60_000, env: { ...process.env, ...QUIET } });
  return join(dir, LOCKFILE[pm]);
}
