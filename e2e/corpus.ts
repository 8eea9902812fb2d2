import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { workDir } from './support.ts';

/**
 * The corpus of real apps (test/apps: Next.js's own examples, copied file by file): each app, its
 * shape, and how it installs. A test takes a fresh copy and installs it from the npm registry
 * with the app's own package manager and lockfile, as the team's CI would.
 */
export interface CorpusApp {
  name: string;
  shape: string;
  packageManager: 'npm' | 'pnpm';
  next: string;
  /**
   * First-wave scenarios that cannot judge anything on this app, measured (docs/app-mode.md):
   * a two-page app leaves an old tab nothing to do after some deploys; an App-Router-only app
   * has no Pages Router page for the scenarios whose tabs need one; a middleware that redirects
   * every path hides public/.
   */
  inconclusive: string[];
}

/** Platform scenarios skip retention's Pages Router tabs on an App-Router-only app. */
const PAGES_ONLY_PLATFORM = ['rollback-canary-outside-window', 'unresolvable-live-revision', 'retention-1', 'retention-3', 'retention-5'];

export const CORPUS: CorpusApp[] = [
  {
    name: 'with-dynamic-import',
    shape: 'Pages Router, next/dynamic, import() of an npm dependency (Turbopack links it under .next/node_modules)',
    packageManager: 'npm',
    next: '16.4.6',
    inconclusive: ['purge-html-only'],
  },
  {
    name: 'app-dir-i18n-routing',
    shape: 'App Router only, middleware redirects / to a locale, every page from generateStaticParams',
    packageManager: 'npm',
    next: '16.4.6',
    inconclusive: ['public-files', ...PAGES_ONLY_PLATFORM],
  },
  {
    name: 'with-mdx-remote',
    shape: 'Pages Router blog: getStaticPaths over MDX posts, Next 15 with webpack',
    packageManager: 'npm',
    next: '15.5.29',
    inconclusive: [],
  },
  {
    name: 'dynamic-routing-basepath-standalone',
    shape: "Pages Router, basePath '/docs', output: 'standalone'",
    packageManager: 'npm',
    next: '16.4.6',
    inconclusive: ['purge-html-only'],
  },
  {
    name: 'with-context-api-pnpm',
    shape: "Pages Router, React context in _app, pnpm's isolated node_modules",
    packageManager: 'pnpm',
    next: '16.4.6',
    inconclusive: ['purge-html-only'],
  },
  {
    name: 'with-context-api-next14',
    shape: 'App Router, a client context provider in the root layout, Next 14 + React 18',
    packageManager: 'npm',
    next: '14.2.35',
    inconclusive: ['purge-html-only', ...PAGES_ONLY_PLATFORM],
  },
];

const QUIET = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

/**
 * A fresh copy of a corpus app with its dependencies installed from its lockfile, optionally with
 * files replaced (a team's one-line fix to next.config); returns its directory.
 */
export function installCorpusApp(app: CorpusApp, replace: Record<string, string> = {}): string {
  const dir = join(workDir(`corpus-${app.name}`), app.name);
  cpSync(resolve('test/apps', app.name), dir, { recursive: true, filter: (src) => !/\/(node_modules|\.next)(\/|$)/.test(src) });
  for (const [file, text] of Object.entries(replace)) writeFileSync(join(dir, file), text);
  const [cmd, args] =
    app.packageManager === 'pnpm'
      ? (['npx', ['--yes', pnpmSpec(dir), 'install', '--frozen-lockfile']] as const)
      : (['npm', ['ci', '--prefer-offline']] as const);
  execFileSync(cmd, [...args], { cwd: dir, stdio: 'pipe', timeout: 5 * 60_000, env: { ...process.env, ...QUIET } });
  return dir;
}

/** The pnpm the lockfile was written with (its major): `pnpm@10`. */
function pnpmSpec(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { packageManager?: string };
  return pkg.packageManager?.startsWith('pnpm@') ? pkg.packageManager.split('+')[0]! : 'pnpm@10';
}
