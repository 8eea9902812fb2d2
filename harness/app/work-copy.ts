import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { promisify } from 'node:util';
import { sourceFiles } from '../builds/build-cache.ts';
import type { AppProject } from './project.ts';
import { linkTree, RELEASE_NODE_MODULES, workspaceSnapshot, workspaceStamp } from './workspace.ts';

const run = promisify(execFile);

export { appWorkRoot } from '../io/work-root.ts';

/** Lockfiles stay out of the app copy: the one next to the dependency snapshot marks the root. */
const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb']);
/**
 * pnpm 10 keeps a single project's settings in a pnpm-workspace.yaml beside package.json
 * (create-next-app 16 writes one). Next takes that file for the workspace root before any
 * lockfile, so in the app copy it would cut the dependency snapshot beside it out of Turbopack's
 * root ("Could not find the Next.js package"): it moves next to the snapshot with the lockfile.
 */
const ROOT_MARKERS = new Set(['pnpm-workspace.yaml']);
/** Never part of a build's input, wherever they are: dependencies, build output, VCS and tool state. */
const NOT_SOURCE = new Set(['node_modules', '.next', '.git', '.turbo', '.vercel']);
/**
 * Not part of it at the project's top level only: outputs (a static export, skew's and
 * Playwright's) and skew's own inputs (`skew init` writes skew.config.ts and skew/). Deeper, the
 * same names are the app's: `app/builds/page.tsx` is a route.
 */
const NOT_SOURCE_AT_TOP = /^(out|runs|builds|test-results|playwright-report|\.skew|skew)(\/|$)|^skew\.config\.(ts|mts|mjs|js|json)$/;

/**
 * The app's source as a CI checkout has it: git's tracked and untracked-but-not-ignored files
 * when the app is in a git work tree, else every file outside NOT_SOURCE.
 */
export async function listSource(app: AppProject): Promise<string[]> {
  // An app that its enclosing repository ignores (a scratch copy under another project) is not
  // that repository's source: walk it instead.
  const ignored = await run('git', ['-C', app.dir, 'check-ignore', '-q', '.']).then(
    () => true,
    () => false,
  );
  const git = ignored
    ? undefined
    : await run('git', ['-C', app.dir, 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '.'], { maxBuffer: 64 << 20 }).catch(
        () => undefined,
      );
  const files = git
    ? git.stdout.split('\0').filter((f) => f && !f.split('/').some((part) => NOT_SOURCE.has(part)) && existsSync(join(app.dir, f)))
    : await walkSource(app.dir);
  return files.filter((f) => !LOCKFILES.has(f) && !ROOT_MARKERS.has(f) && !NOT_SOURCE_AT_TOP.test(f)).sort();
}

/** Every file outside NOT_SOURCE, never entering a top-level folder NOT_SOURCE_AT_TOP names (runs/ holds release copies). */
async function walkSource(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (NOT_SOURCE.has(e.name) || NOT_SOURCE_AT_TOP.test(e.name)) continue;
    if (e.isDirectory()) out.push(...(await sourceFiles(dir, join(dir, e.name), NOT_SOURCE)));
    else if (e.isFile()) out.push(e.name);
  }
  return out;
}

/** The lockfile and install state: a new install gets a new dependency snapshot. */
export async function dependencyStamp(app: AppProject): Promise<string> {
  const h = createHash('sha256').update(app.nextVersion);
  if (app.workspace) {
    h.update(`workspace=${app.workspace.app}\0`);
    await workspaceStamp(app.workspace, h);
    return h.digest('hex').slice(0, 16);
  }
  if (app.lockfile) h.update(await readFile(join(app.dir, app.lockfile)));
  for (const marker of ROOT_MARKERS) if (existsSync(join(app.dir, marker))) h.update(await readFile(join(app.dir, marker)));
  for (const marker of ['.package-lock.json', '.modules.yaml', '.yarn-integrity', '.yarn-state.yml']) {
    const st = await stat(join(app.nodeModules, marker)).catch(() => undefined);
    if (st) h.update(`${marker}:${st.mtimeMs}:${st.size}`);
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * `<work>/<stamp>/node_modules`: a hard-linked copy of the app's node_modules (seconds, no extra
 * space; a full copy when hard links cannot cross filesystems), with the lockfile next to it so
 * Next infers `<stamp>` as the workspace root. Turbopack refuses a node_modules symlink that
 * points outside its root, hence a real tree. Made once per install.
 */
export async function dependencySnapshot(app: AppProject, workDir: string, stamp: string, log: (line: string) => void): Promise<Snapshot> {
  const root = join(workDir, stamp);
  const done = join(root, '.complete');
  const snapshot: Snapshot = app.workspace
    ? { root, app: join(root, app.workspace.app), nodeModules: join(root, RELEASE_NODE_MODULES) }
    : { root, app: join(root, 'app'), nodeModules: join(root, 'node_modules') };
  if (existsSync(done)) return snapshot;
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  if (app.workspace) {
    log(`copying the ${app.workspace.manager} workspace at ${app.workspace.root}: its packages and node_modules (hard links)…`);
    await workspaceSnapshot(app.workspace, root);
    await writeFile(done, `${new Date().toISOString()}\n`);
    return snapshot;
  }
  log(`copying ${app.name}'s node_modules (hard links)…`);
  await linkTree(app.nodeModules, join(root, 'node_modules'));
  await writeFile(join(root, app.lockfile ?? 'package-lock.json'), app.lockfile ? await readFile(join(app.dir, app.lockfile)) : '{}\n');
  for (const marker of ROOT_MARKERS) if (existsSync(join(app.dir, marker))) await cp(join(app.dir, marker), join(root, marker));
  await writeFile(done, `${new Date().toISOString()}\n`);
  return snapshot;
}

/** Where an app's builds run: the copy's folder, and the node_modules its releases link to. */
export interface Snapshot {
  root: string;
  /** The app's copy (`<root>/app`, or its own path in a workspace: `<root>/apps/web`). */
  app: string;
  nodeModules: string;
}

const CODE = new Set(['.js', '.jsx', '.ts', '.tsx', '.mjs', '.cjs', '.mts', '.cts']);
const STYLE = new Set(['.css', '.scss']);
/** Build tooling and tests: not part of the app's bundles. */
const NOT_APP_CODE =
  /^public\/|(^|\/)([^/]*\.config\.[a-z]+|[^/]*\.d\.[cm]?ts|[^/]*\.(test|spec)\.[a-z]+|__tests__\/.*|(e2e|tests?|cypress|playwright|scripts)\/.*)$/;
export const VERSION_FILE = 'skew-version.txt';

/**
 * Makes this copy a distinct version without touching the user's files: every module of the
 * app gets one side effect naming the version (kept by minifiers, valid in JS and strict TS),
 * every stylesheet one custom property. All of A's chunk and CSS hashes then differ from B's,
 * as after a release that changed a shared module: the strictest case for skew, since none of
 * A's files survive in B. A `public/` file tells versions apart for the public-files scenario.
 */
export async function markVersion(
  appDir: string,
  files: string[],
  variant: string,
  opts: { publicFile?: boolean } = {},
): Promise<{ modules: number; styles: number }> {
  let modules = 0;
  let styles = 0;
  const v = JSON.stringify(variant);
  for (const f of files) {
    if (NOT_APP_CODE.test(f)) continue;
    const ext = extname(f);
    if (CODE.has(ext)) {
      await appendFile(join(appDir, f), versionLine(variant));
      modules++;
    } else if (STYLE.has(ext)) {
      // A local class keeps CSS Modules' "pure selector" rule; a global file gets one too.
      await appendFile(join(appDir, f), `\n.skew-version-${variant} { --skew-version: ${v}; }\n`);
      styles++;
    }
  }
  if (opts.publicFile === false) return { modules, styles };
  await mkdir(join(appDir, 'public'), { recursive: true });
  await writeFile(join(appDir, 'public', VERSION_FILE), `${variant}\n`);
  return { modules, styles };
}

/**
 * The line every module of a version ends with. `next build` lints the app (Next 14 and 15): an
 * app whose ESLint knows no `globalThis` (env es6: no-undef), formats with prettier/prettier or
 * bans a leading `;` failed its build on skew's line alone, so the line opens with an
 * eslint-disable that reaches only to the end of the file, where nothing of the app's is left.
 * At worst it is an unused directive, a warning, which fails no build.
 */
export function versionLine(variant: string): string {
  return `\n/* eslint-disable */\n;Reflect.set(globalThis, "__SKEW_VERSION__", ${JSON.stringify(variant)});\n`;
}

/** The app's source into `to`, replacing what a build before left there but its node_modules (a workspace package's own). */
export async function copySource(from: string, to: string, files: string[]): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const e of await readdir(to)) if (e !== 'node_modules') await rm(join(to, e), { recursive: true, force: true });
  for (const f of files) {
    await mkdir(dirname(join(to, f)), { recursive: true });
    await cp(join(from, f), join(to, f), { verbatimSymlinks: true });
  }
}
