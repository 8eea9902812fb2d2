import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Generator, generate, installFromLockfile, type PackageManager } from './corpus-generated.ts';
import { workDir } from './support.ts';

/**
 * The corpus of real apps (test/apps: Next.js's own examples, copied file by file): each app, its
 * shape, and how it installs. A test takes a fresh copy and installs it from the npm registry
 * with the app's own package manager and lockfile, as the team's CI would.
 */
export interface CorpusApp {
  name: string;
  shape: string;
  packageManager: PackageManager;
  next: string;
  /** A starter generated at test time (test/apps/<name> holds only its lockfile and SOURCE.md). */
  from?: Generator;
  /** Uses `next/font/google`: built with Next's offline font hook (e2e/offline-fonts.ts). */
  googleFonts?: boolean;
  /**
   * Its builds carry no deployment id (Next before 14.1.4 without `experimental.useDeploymentId`):
   * the good deployer's users recover by navigation, and only the checks that say so fail.
   */
  withoutDeploymentId?: boolean;
  /**
   * First-wave scenarios that cannot judge anything on this app, measured (docs/app-mode.md):
   * a two-page app leaves an old tab nothing to do after some deploys; an App-Router-only app
   * has no Pages Router page for the scenarios whose tabs need one; a middleware that redirects
   * every path hides public/.
   */
  inconclusive: string[];
  /** Broken deployers whose mistake only an app of this shape shows (a basePath dropped), and the checks that catch them. */
  catches?: { scenario: string; deployer: string; fails: string[] }[];
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
    catches: [{ scenario: 'stale-html', deployer: 'purge-without-base-path', fails: ['cache-status', 'new-sessions-current'] }],
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

/**
 * A starter of one page with nothing loaded late: an old tab has nothing to do after a deploy, so
 * `app-coverage` is inconclusive and says why, while every deploy-side check (old assets kept,
 * new visitors current, the edge's cache) passes, and replace-in-place fails them.
 */
const ONE_PAGE = ['roll-forward', 'roll-back'];

const CNA = (v: string, ...args: string[]): Generator => ({ npm: `create-next-app@${v}`, args: [...args, '--import-alias', '@/*'] });
const CNA_QUIET = ['--skip-install', '--disable-git'];
const T3 = (appRouter: boolean): Generator => ({
  npm: 'create-t3-app@7.40.0',
  args: ['--CI', '--tailwind', 'true', '--trpc', 'true', '--nextAuth', 'false', '--prisma', 'false', '--drizzle', 'false'].concat([
    '--appRouter',
    String(appRouter),
    '--noInstall',
    '--noGit',
  ]),
});

/**
 * Starters teams really begin with, generated at test time from the npm registry at a pinned
 * version (e2e/corpus-generated.ts), with the lockfile we resolved for each. Chosen for variety:
 * Next 14.0 to 16, App and Pages Router, JavaScript and TypeScript, npm, pnpm and yarn, Tailwind,
 * tRPC, MDX docs and blogs, web3 providers, `next/font/google` and local fonts, ESLint run by
 * `next build`, a proxy (middleware) and a src/ folder.
 */
export const GENERATED: CorpusApp[] = [
  {
    name: 'cna-14.0-pages-js',
    shape:
      'create-next-app 14.0: Pages Router in JavaScript, src/, next/font/google, ESLint during next build; no deployment id before 14.1.4',
    from: CNA('14.0.4', '--js', '--no-tailwind', '--eslint', '--no-app', '--src-dir', '--use-npm'),
    packageManager: 'npm',
    next: '14.0.4',
    googleFonts: true,
    withoutDeploymentId: true,
    inconclusive: ONE_PAGE,
  },
  {
    name: 'cna-14.2-app-tw',
    shape: 'create-next-app 14.2: App Router, Tailwind 3, local fonts, ESLint during next build',
    from: CNA('14.2.35', '--ts', '--tailwind', '--eslint', '--app', '--no-src-dir', '--use-npm'),
    packageManager: 'npm',
    next: '14.2.35',
    inconclusive: ONE_PAGE,
  },
  {
    name: 'cna-15.0-pages-tw',
    shape: 'create-next-app 15.0: Pages Router, Tailwind 3, src/, local fonts, ESLint during next build',
    from: CNA('15.0.4', '--ts', '--tailwind', '--eslint', '--no-app', '--src-dir', '--no-turbopack', '--use-npm', ...CNA_QUIET),
    packageManager: 'npm',
    next: '15.0.4',
    inconclusive: ONE_PAGE,
  },
  {
    name: 'cna-15.5-app-turbopack',
    shape: 'create-next-app 15.5: App Router, Tailwind 4, src/, `next build --turbopack`, next/font/google',
    from: CNA('15.5.9', '--ts', '--tailwind', '--eslint', '--app', '--src-dir', '--turbopack', '--use-npm', ...CNA_QUIET),
    packageManager: 'npm',
    next: '15.5.9',
    googleFonts: true,
    inconclusive: ONE_PAGE,
  },
  {
    name: 'cna-16-app-yarn',
    shape: 'create-next-app 16: App Router, Tailwind 4, next/font/google, yarn',
    from: CNA('16.4.3', '--ts', '--tailwind', '--eslint', '--app', '--no-src-dir', '--no-react-compiler', '--use-yarn', ...CNA_QUIET),
    packageManager: 'yarn',
    next: '16.4.3',
    googleFonts: true,
    inconclusive: ONE_PAGE,
  },
  {
    name: 'cna-16-pages-pnpm',
    shape: 'create-next-app 16: Pages Router, CSS modules, next/font/google, pnpm',
    from: CNA(
      '16.4.3',
      '--ts',
      '--no-tailwind',
      '--no-linter',
      '--no-app',
      '--no-src-dir',
      '--no-react-compiler',
      '--use-pnpm',
      ...CNA_QUIET,
    ),
    packageManager: 'pnpm',
    next: '16.4.3',
    googleFonts: true,
    inconclusive: ONE_PAGE,
  },
  {
    name: 't3-app-router',
    shape: 'create-t3-app 7.40: App Router, tRPC + React Query from client components, Tailwind 4, env validation',
    from: T3(true),
    packageManager: 'npm',
    next: '15.5.29',
    googleFonts: true,
    inconclusive: ONE_PAGE,
  },
  {
    name: 't3-pages-router',
    shape: 'create-t3-app 7.40: Pages Router, tRPC through /api/trpc, Tailwind 4, env validation',
    from: T3(false),
    packageManager: 'npm',
    next: '15.5.29',
    googleFonts: true,
    inconclusive: ONE_PAGE,
  },
  {
    name: 'fumadocs-pnpm',
    shape: 'create-fumadocs-app 16.2: docs site, MDX through fumadocs-mdx, [[...slug]] pages, a proxy, Orama search, ESLint config, pnpm',
    from: {
      npm: 'create-fumadocs-app@16.2.2',
      args: ['--template', '+next+fuma-docs-mdx', '--pm', 'pnpm', '--no-git', '--search', 'orama', '--linter', 'eslint', '-y'],
    },
    packageManager: 'pnpm',
    next: '16.3.4',
    googleFonts: true,
    inconclusive: [],
  },
  {
    name: 'fumadocs-pnpm-src',
    shape: 'create-fumadocs-app 16.2: docs site in src/, pnpm',
    from: { npm: 'create-fumadocs-app@16.2.2', args: ['--template', '+next+fuma-docs-mdx', '--pm', 'pnpm', '--src', '--no-git', '-y'] },
    packageManager: 'pnpm',
    next: '16.3.4',
    googleFonts: true,
    inconclusive: [],
  },
  {
    name: 'cna-14.1-app-js',
    shape: 'create-next-app 14.1: App Router in JavaScript, next/font/google, ESLint during next build; no deployment id before 14.1.4',
    from: CNA('14.1.0', '--js', '--no-tailwind', '--eslint', '--app', '--no-src-dir', '--use-npm'),
    packageManager: 'npm',
    next: '14.1.0',
    googleFonts: true,
    withoutDeploymentId: true,
    inconclusive: ONE_PAGE,
  },
  {
    name: 'cna-15.5-app-webpack',
    shape: 'create-next-app 15.5: App Router, CSS modules, src/, next/font/google under webpack, ESLint during next build',
    from: CNA('15.5.9', '--ts', '--no-tailwind', '--eslint', '--app', '--src-dir', '--no-turbopack', '--use-npm', ...CNA_QUIET),
    packageManager: 'npm',
    next: '15.5.9',
    googleFonts: true,
    inconclusive: ONE_PAGE,
  },
  {
    name: 'cna-15.1-pages-webpack',
    shape: 'create-next-app 15.1: Pages Router, CSS modules, next/font/google under webpack, ESLint during next build',
    from: CNA('15.1.0', '--ts', '--no-tailwind', '--eslint', '--no-app', '--no-src-dir', '--no-turbopack', '--use-npm', ...CNA_QUIET),
    packageManager: 'npm',
    next: '15.1.0',
    googleFonts: true,
    inconclusive: ONE_PAGE,
  },
  {
    name: 'cna-15.5-pages-biome',
    shape: 'create-next-app 15.5: Pages Router, Tailwind 4, src/, Biome instead of ESLint, `next build --turbopack`',
    from: CNA('15.5.9', '--ts', '--tailwind', '--biome', '--no-app', '--src-dir', '--turbopack', '--use-npm', ...CNA_QUIET),
    packageManager: 'npm',
    next: '15.5.9',
    googleFonts: true,
    inconclusive: ONE_PAGE,
  },
];

/**
 * A fresh copy of a corpus app with its dependencies installed from its lockfile, optionally with
 * files replaced (a team's one-line fix to next.config); returns its directory. A generated app
 * is generated first, then gets its committed lockfile.
 */
export function installCorpusApp(app: CorpusApp, replace: Record<string, string> = {}): string {
  const dir = join(workDir(`corpus-${app.name}`), app.name);
  const committed = resolve('test/apps', app.name);
  if (app.from) {
    generate(app.from, dir);
    for (const f of readdirSync(committed).filter((f) => f !== 'SOURCE.md')) cpSync(join(committed, f), join(dir, f));
  } else cpSync(committed, dir, { recursive: true, filter: (src) => !/\/(node_modules|\.next)(\/|$)/.test(src) });
  for (const [file, text] of Object.entries(replace)) writeFileSync(join(dir, file), text);
  installFromLockfile(dir, app.packageManager);
  return dir;
}
