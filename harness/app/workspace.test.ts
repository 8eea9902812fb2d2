import { existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/temp-dirs.ts';
import { markVersion } from './work-copy.ts';
import { copyMembers, findWorkspace, RELEASE_NODE_MODULES, workspaceMembers, workspaceSnapshot } from './workspace.ts';

const temp = tempDirs();

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}
const pkg = (dir: string, name: string, version = '1.0.0') =>
  write(join(dir, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));

/**
 * npm and yarn: dependencies hoisted to the root, the app's own conflicting ones in
 * apps/web/node_modules, every workspace package linked at the root by a relative link.
 */
function npmWorkspace(): string {
  const root = temp('skew-ws-npm-');
  write(join(root, 'package.json'), JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'packages/*'] }));
  write(join(root, 'package-lock.json'), '{}');
  write(join(root, 'tsconfig.base.json'), '{}');
  pkg(join(root, 'node_modules', 'next'), 'next', '16.4.3');
  pkg(join(root, 'node_modules', 'react'), 'react', '19.2.3');
  write(join(root, 'node_modules', 'react', 'index.js'), 'module.exports = "react 19";');
  link('../../packages/ui', join(root, 'node_modules', '@repo', 'ui'));
  link('../packages/config', join(root, 'node_modules', 'config'));
  link('../apps/web', join(root, 'node_modules', 'web'));
  link('../next/dist/bin/next', join(root, 'node_modules', '.bin', 'next'));
  write(join(root, 'apps', 'web', 'package.json'), JSON.stringify({ name: 'web', dependencies: { next: '16.4.3', '@repo/ui': '*' } }));
  write(join(root, 'apps', 'web', 'app', 'page.tsx'), 'export default () => null;\n');
  // The app pins another react: npm installs it in the app's own node_modules.
  pkg(join(root, 'apps', 'web', 'node_modules', 'react'), 'react', '19.0.0');
  write(join(root, 'apps', 'web', 'node_modules', 'react', 'index.js'), 'module.exports = "react 19.0";');
  write(join(root, 'packages', 'ui', 'package.json'), JSON.stringify({ name: '@repo/ui' }));
  write(join(root, 'packages', 'ui', 'src', 'button.tsx'), "'use client';\nexport const Button = () => null;\n");
  write(join(root, 'packages', 'ui', 'src', 'button.module.css'), '.b { color: red; }\n');
  write(join(root, 'packages', 'ui', '.turbo', 'log.txt'), 'not source\n');
  pkg(join(root, 'packages', 'ui', 'node_modules', 'clsx'), 'clsx');
  write(join(root, 'packages', 'config', 'package.json'), JSON.stringify({ name: 'config' }));
  write(join(root, 'packages', 'config', 'nextjs.json'), '{}');
  // Not linked from anywhere the app reaches: not copied.
  write(join(root, 'tools', 'unrelated', 'package.json'), '{}');
  return root;
}

/** pnpm: the store under node_modules/.pnpm, each package's dependencies linked into its own node_modules. */
function pnpmWorkspace(): string {
  const root = temp('skew-ws-pnpm-');
  write(join(root, 'package.json'), JSON.stringify({ name: 'mono', private: true }));
  write(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n  - packages/*\n');
  write(join(root, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
  const store = join(root, 'node_modules', '.pnpm');
  pkg(join(store, 'next@16.4.3', 'node_modules', 'next'), 'next', '16.4.3');
  pkg(join(store, 'react@19.2.3', 'node_modules', 'react'), 'react', '19.2.3');
  const nm = join(root, 'apps', 'web', 'node_modules');
  link('../../../node_modules/.pnpm/next@16.4.3/node_modules/next', join(nm, 'next'));
  link('../../../node_modules/.pnpm/react@19.2.3/node_modules/react', join(nm, 'react'));
  link('../../../../packages/ui', join(nm, '@repo', 'ui'));
  write(
    join(root, 'apps', 'web', 'package.json'),
    JSON.stringify({ name: 'web', dependencies: { next: '16.4.3', '@repo/ui': 'workspace:*' } }),
  );
  write(join(root, 'packages', 'ui', 'package.json'), JSON.stringify({ name: '@repo/ui' }));
  write(join(root, 'packages', 'ui', 'index.tsx'), 'export const Button = () => null;\n');
  // ui's own dependency on another workspace package, only in its node_modules (pnpm links it there).
  link('../../tsconfig', join(root, 'packages', 'ui', 'node_modules', 'tsconfig'));
  write(join(root, 'packages', 'tsconfig', 'package.json'), JSON.stringify({ name: 'tsconfig' }));
  return root;
}

describe('a workspace app', () => {
  it('finds the workspace and its manager from the nearest root that declares one', async () => {
    const npm = npmWorkspace();
    expect(await findWorkspace(join(npm, 'apps', 'web'))).toEqual({ root: npm, manager: 'npm', app: 'apps/web' });
    const pnpm = pnpmWorkspace();
    expect(await findWorkspace(join(pnpm, 'apps', 'web'))).toEqual({ root: pnpm, manager: 'pnpm', app: 'apps/web' });
    write(join(npm, 'yarn.lock'), '');
    expect((await findWorkspace(join(npm, 'apps', 'web')))?.manager).toBe('yarn');
  });

  it('copies the packages the app reaches through links, followed from package to package, and no other', async () => {
    const npm = npmWorkspace();
    expect(await workspaceMembers({ root: npm, manager: 'npm', app: 'apps/web' })).toEqual(['packages/config', 'packages/ui']);
    const pnpm = pnpmWorkspace();
    expect(await workspaceMembers({ root: pnpm, manager: 'pnpm', app: 'apps/web' })).toEqual(['packages/tsconfig', 'packages/ui']);
  });

  it('npm: a release resolves the app’s own dependencies first, then the hoisted ones, and the packages in the snapshot', async () => {
    const src = npmWorkspace();
    const ws = { root: src, manager: 'npm' as const, app: 'apps/web' };
    const snap = temp('skew-ws-snap-');
    const merged = await workspaceSnapshot(ws, snap);
    expect(merged).toBe(join(snap, RELEASE_NODE_MODULES));
    await copyMembers(ws, snap, async () => ({ modules: 0, styles: 0 }));
    // A release (builds/<key>/app) links its node_modules to the merged folder.
    const release = join(temp('skew-ws-release-'), 'app');
    mkdirSync(release);
    symlinkSync(merged, join(release, 'node_modules'));
    write(join(release, 'server.js'), '');
    const req = createRequire(join(release, 'server.js'));
    expect(readFileSync(req.resolve('react'), 'utf8')).toBe('module.exports = "react 19.0";');
    expect(realpathSync(req.resolve('next/package.json'))).toBe(realpathSync(join(merged, 'next', 'package.json')));
    // The workspace links point into the snapshot, never back into the team's folder.
    expect(readlinkSync(join(merged, '@repo', 'ui'))).toBe(join(snap, 'packages', 'ui'));
    expect(existsSync(join(snap, 'packages', 'ui', 'src', 'button.tsx'))).toBe(true);
    expect(existsSync(join(snap, 'packages', 'ui', '.turbo'))).toBe(false);
    expect(existsSync(join(snap, 'tools'))).toBe(false);
    // The build sees the workspace as it is: its root files, the mirror of each node_modules, relative links intact.
    expect(existsSync(join(snap, 'tsconfig.base.json'))).toBe(true);
    expect(readlinkSync(join(snap, 'node_modules', '@repo', 'ui'))).toBe('../../packages/ui');
    expect(existsSync(join(snap, 'apps', 'web', 'node_modules', 'react', 'index.js'))).toBe(true);
    expect(existsSync(join(snap, 'packages', 'ui', 'node_modules', 'clsx', 'package.json'))).toBe(true);
    // .bin's links are relative inside node_modules: they resolve within the merged folder.
    expect(readlinkSync(join(merged, '.bin', 'next'))).toBe('../next/dist/bin/next');
  });

  it('pnpm: the app’s links resolve into the snapshot’s store from the merged folder', async () => {
    const src = pnpmWorkspace();
    const snap = temp('skew-ws-snap-');
    const ws = { root: src, manager: 'pnpm' as const, app: 'apps/web' };
    const merged = await workspaceSnapshot(ws, snap);
    await copyMembers(ws, snap, async () => ({ modules: 0, styles: 0 }));
    expect(readlinkSync(join(merged, 'next'))).toBe(join(snap, 'node_modules', '.pnpm', 'next@16.4.3', 'node_modules', 'next'));
    expect(existsSync(join(merged, 'next', 'package.json'))).toBe(true);
    expect(existsSync(join(merged, '.pnpm')), "pnpm's store is reached through the links, not copied again").toBe(false);
    expect(existsSync(join(snap, 'packages', 'ui', 'node_modules', 'tsconfig'))).toBe(true);
  });

  it('marks every reachable package’s modules and styles as the variant, from a fresh copy each build', async () => {
    const src = npmWorkspace();
    const ws = { root: src, manager: 'npm' as const, app: 'apps/web' };
    const snap = temp('skew-ws-snap-');
    await workspaceSnapshot(ws, snap);
    const mark = (d: string, f: string[]) => markVersion(d, f, 'A', { publicFile: false });
    expect(await copyMembers(ws, snap, mark)).toEqual({ modules: 1, styles: 1 });
    await copyMembers(ws, snap, (d, f) => markVersion(d, f, 'B', { publicFile: false }));
    const button = readFileSync(join(snap, 'packages', 'ui', 'src', 'button.tsx'), 'utf8');
    expect(button).toContain('"__SKEW_VERSION__", "B"');
    expect(button).not.toContain('"A"');
    expect(existsSync(join(snap, 'packages', 'ui', 'public')), 'no public/ file in a package').toBe(false);
    // The team's own files are only read.
    expect(readFileSync(join(src, 'packages', 'ui', 'src', 'button.tsx'), 'utf8')).not.toContain('__SKEW_VERSION__');
  });
});
