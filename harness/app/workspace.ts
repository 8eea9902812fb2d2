import { execFile } from 'node:child_process';
import type { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, link, lstat, mkdir, readdir, readFile, readlink, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { sourceFiles } from '../builds/build-cache.ts';

const run = promisify(execFile);

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** The npm, yarn, pnpm or bun workspace an app is a package of. */
export interface Workspace {
  /** Absolute path of the workspace root (where its lockfile and root node_modules are). */
  root: string;
  manager: PackageManager;
  /** The app's folder relative to the root (`apps/web`). */
  app: string;
}

/** The workspace an app is a package of: the nearest folder above it that declares one, and its package manager. */
export async function findWorkspace(dir: string): Promise<Workspace | undefined> {
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
    const app = relative(d, dir);
    if (existsSync(join(d, 'pnpm-workspace.yaml'))) return { root: d, manager: 'pnpm', app };
    const pkg = await readFile(join(d, 'package.json'), 'utf8').then(
      (t) => JSON.parse(t) as { workspaces?: unknown },
      () => undefined,
    );
    if (pkg?.workspaces)
      return { root: d, manager: existsSync(join(d, 'yarn.lock')) ? 'yarn' : existsSync(join(d, 'bun.lock')) ? 'bun' : 'npm', app };
  }
  return undefined;
}

/** In a workspace's snapshot: the app's and the root's node_modules as one, for releases. */
export const RELEASE_NODE_MODULES = '.release-node_modules';

/** Never copied from a workspace package: dependencies are linked, outputs of tools are not input. */
const NOT_MEMBER_SOURCE = new Set(['node_modules', '.next', '.git', '.turbo', '.vercel']);

const inside = (dir: string, p: string) => p === dir || p.startsWith(dir + sep);

/** The node_modules folders of a workspace that resolution can reach: the root's and each package's. */
function nodeModulesOf(ws: Workspace, members: string[]): string[] {
  return [
    join(ws.root, 'node_modules'),
    join(ws.root, ws.app, 'node_modules'),
    ...members.map((m) => join(ws.root, m, 'node_modules')),
  ].filter((d) => existsSync(d));
}

/** Entries of a node_modules folder, scoped ones (`@acme/ui`) as one entry. */
async function entries(nm: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(nm, { withFileTypes: true }).catch(() => [])) {
    if (e.name.startsWith('@') && e.isDirectory())
      for (const s of await readdir(join(nm, e.name)).catch(() => [])) out.push(`${e.name}/${s}`);
    else out.push(e.name);
  }
  return out;
}

/**
 * The workspace packages the app can reach: folders of the workspace (outside any node_modules)
 * that a link in a reachable node_modules points at, followed from the app's own links and the
 * root's (npm and yarn link every package there; pnpm links each where it is a dependency).
 */
export async function workspaceMembers(ws: Workspace): Promise<string[]> {
  const found = new Set<string>();
  const queue = nodeModulesOf(ws, []);
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const nm = queue[i] as string;
    for (const name of await entries(nm)) {
      const p = join(nm, name);
      const target = await readlink(p).then(
        (t) => resolve(dirname(p), t),
        () => undefined,
      );
      if (!target || !inside(ws.root, target) || target.split(sep).includes('node_modules')) continue;
      const rel = relative(ws.root, target);
      if (rel === ws.app || found.has(rel) || !existsSync(target)) continue;
      found.add(rel);
      if (existsSync(join(target, 'node_modules'))) queue.push(join(target, 'node_modules'));
    }
  }
  return [...found].sort();
}

/**
 * What a new snapshot depends on: the root's files, the lockfile and install state, and every
 * reachable workspace package's files (a changed `packages/ui` is a new dependency snapshot).
 */
export async function workspaceStamp(ws: Workspace, h: ReturnType<typeof createHash>): Promise<void> {
  for (const f of await topFiles(ws.root)) h.update(`${f}\0`).update(await readFile(join(ws.root, f)));
  for (const marker of ['.package-lock.json', '.modules.yaml', '.yarn-integrity', '.yarn-state.yml']) {
    const st = await stat(join(ws.root, 'node_modules', marker)).catch(() => undefined);
    if (st) h.update(`${marker}:${st.mtimeMs}:${st.size}`);
  }
  for (const m of await workspaceMembers(ws))
    for (const f of await sourceFiles(join(ws.root, m), join(ws.root, m), NOT_MEMBER_SOURCE)) {
      const st = await stat(join(ws.root, m, f));
      h.update(`${m}/${f}:${st.mtimeMs}:${st.size}\0`);
    }
}

/** The root's own files (package.json, lockfile, pnpm-workspace.yaml, a tsconfig the packages extend). */
async function topFiles(root: string): Promise<string[]> {
  return (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

/** A hard-linked copy of a folder (seconds, no extra space), a full copy across filesystems. */
export async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const linked = await run('cp', ['-al', from, to]).then(
    () => true,
    () => false,
  );
  if (linked) return;
  // A half-made hard-link copy goes before the full copy.
  await rm(to, { recursive: true, force: true });
  await cp(from, to, { recursive: true, verbatimSymlinks: true });
}

/**
 * The workspace as the app's build sees it, under `root`: the root's files and node_modules,
 * each reachable package (its files and node_modules) and the app's own node_modules, all at
 * their relative paths, so relative links and `extends: "../../tsconfig.json"` still resolve,
 * and Next takes `root` for the workspace root (its lockfile is there). The app's source is
 * copied to `<root>/<app>` per build. Returns the node_modules a release links to.
 */
export async function workspaceSnapshot(ws: Workspace, root: string): Promise<string> {
  for (const f of await topFiles(ws.root)) await cp(join(ws.root, f), join(root, f));
  const members = await workspaceMembers(ws);
  const mirrored = nodeModulesOf(ws, members);
  for (const nm of mirrored) await linkTree(nm, join(root, relative(ws.root, nm)));
  // A release runs outside the workspace (builds/<key>/app): one node_modules must answer for
  // the app's own dependencies and those hoisted to the root, in the order Node looks.
  const merged = join(root, RELEASE_NODE_MODULES);
  await mergeNodeModules(
    [join(ws.root, ws.app, 'node_modules'), join(ws.root, 'node_modules')].filter((d) => existsSync(d)),
    merged,
    (p) => (inside(ws.root, p) ? join(root, relative(ws.root, p)) : p),
  );
  return merged;
}

/**
 * Each reachable workspace package's files copied into the snapshot again and marked as
 * `variant` like the app's own modules: a release of a monorepo ships its packages' changes too,
 * and the strictest case for skew is that none of A's chunks survive in B.
 */
export async function copyMembers(
  ws: Workspace,
  root: string,
  mark: (dir: string, files: string[]) => Promise<{ modules: number; styles: number }>,
): Promise<{ modules: number; styles: number }> {
  const total = { modules: 0, styles: 0 };
  for (const m of await workspaceMembers(ws)) {
    const files = await sourceFiles(join(ws.root, m), join(ws.root, m), NOT_MEMBER_SOURCE);
    for (const f of files) {
      await mkdir(dirname(join(root, m, f)), { recursive: true });
      await rm(join(root, m, f), { force: true });
      await cp(join(ws.root, m, f), join(root, m, f), { verbatimSymlinks: true });
    }
    const marked = await mark(join(root, m), files);
    total.modules += marked.modules;
    total.styles += marked.styles;
  }
  return total;
}

/**
 * One node_modules from several, the first one's entries winning: folders hard-linked, links
 * made absolute into the snapshot (`map`), since the merged folder sits at another depth.
 */
async function mergeNodeModules(layers: string[], dest: string, map: (p: string) => string): Promise<void> {
  await mkdir(dest, { recursive: true });
  for (const nm of layers)
    for (const name of await entries(nm)) {
      // pnpm's store (.pnpm) is reached through the links; npm's and yarn's state files are not modules.
      if (name.startsWith('.') && name !== '.bin') continue;
      const from = join(nm, name);
      const to = join(dest, name);
      if (
        await lstat(to).then(
          () => true,
          () => false,
        )
      )
        continue;
      await mkdir(dirname(to), { recursive: true });
      const st = await lstat(from);
      if (st.isSymbolicLink()) await symlink(map(resolve(dirname(from), await readlink(from))), to);
      else if (st.isDirectory()) await linkTree(from, to);
      else await link(from, to).catch(() => cp(from, to));
    }
}
