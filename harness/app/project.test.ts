import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors/harness-error.ts';
import { inspectApp } from './project.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'skew-project-test-'));
  dirs.push(d);
  return d;
}

interface Layout {
  /** package.json contents; a string is written as is, undefined writes none. */
  pkg?: object | string;
  /** Installed next version (node_modules/next/package.json), or none. */
  next?: string;
  /** Extra files (relative path → contents), e.g. lockfiles. */
  files?: Record<string, string>;
}

async function writeLayout(dir: string, { pkg, next, files = {} }: Layout): Promise<string> {
  if (pkg !== undefined) await writeFile(join(dir, 'package.json'), typeof pkg === 'string' ? pkg : JSON.stringify(pkg));
  if (next !== undefined) {
    await mkdir(join(dir, 'node_modules', 'next'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'next', 'package.json'), JSON.stringify({ name: 'next', version: next }));
  }
  for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text);
  return dir;
}

const app = async (layout: Layout) => writeLayout(await tempDir(), layout);
const web = (deps: Record<string, string> = { next: '16.4.6' }) => ({ name: 'web', dependencies: { react: '19.0.0', ...deps } });

/** The HarnessError inspectApp rejects with (fails the test if it resolves or throws something else). */
async function refusal(dir: string): Promise<HarnessError> {
  const e = await inspectApp(dir).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(HarnessError);
  return e as HarnessError;
}

describe('inspectApp refusals', () => {
  it('INVALID_APP without a package.json', async () => {
    const dir = await app({});
    const e = await refusal(dir);
    expect(e.code).toBe('INVALID_APP');
    expect(e.message).toContain(dir);
    expect(e.hint).toContain('--app');
  });

  it('INVALID_APP when package.json is not JSON', async () => {
    const e = await refusal(await app({ pkg: '{ "name": ' }));
    expect(e.code).toBe('INVALID_APP');
    expect(e.message).toContain('not valid JSON');
  });

  it('INVALID_APP when the project does not depend on next', async () => {
    const e = await refusal(await app({ pkg: { name: 'lib', dependencies: { react: '19.0.0' } }, next: '16.4.6' }));
    expect(e.code).toBe('INVALID_APP');
    expect(e.message).toContain('does not depend on next');
  });

  it('APP_NOT_INSTALLED without node_modules/next, with the install command of its lockfile', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'pnpm-lock.yaml': 'lockfileVersion: 9.0\n' }, 'pnpm install --frozen-lockfile'],
      [{ 'package-lock.json': '{}' }, 'npm ci'],
      [{ 'yarn.lock': '' }, 'yarn install --frozen-lockfile'],
      [{}, 'npm ci'],
    ];
    for (const [files, command] of cases) {
      const dir = await app({ pkg: web(), files });
      const e = await refusal(dir);
      expect(e.code).toBe('APP_NOT_INSTALLED');
      expect(e.kind).toBe('environment');
      expect(e.hint).toBe(`install the app's dependencies first: cd ${dir} && ${command}`);
    }
  });

  it("UNSUPPORTED_APP for Yarn Plug'n'Play (.pnp.cjs)", async () => {
    const e = await refusal(await app({ pkg: web(), next: '16.4.6', files: { 'yarn.lock': '', '.pnp.cjs': '' } }));
    expect(e.code).toBe('UNSUPPORTED_APP');
    expect(e.message).toContain('.pnp.cjs');
    expect(e.hint).toContain('nodeLinker: node-modules');
  });

  it('UNSUPPORTED_APP for a Next.js older than 14 or newer than 16', async () => {
    const old = await refusal(await app({ pkg: web({ next: '13.5.0' }), next: '13.5.0' }));
    expect(old.code).toBe('UNSUPPORTED_APP');
    expect(old.message).toContain('13.5.0');
    expect(old.hint).toContain('upgrade the app');
    const future = await refusal(await app({ pkg: web({ next: '17.0.0' }), next: '17.0.0' }));
    expect(future.code).toBe('UNSUPPORTED_APP');
    expect(future.hint).toContain('update skew');
  });

  it('UNSUPPORTED_APP when next resolves from a parent node_modules that no workspace declares', async () => {
    const root = await app({ pkg: { name: 'monorepo', private: true }, next: '16.4.6' });
    const dir = join(root, 'apps', 'web');
    await mkdir(dir, { recursive: true });
    await writeLayout(dir, { pkg: web(), files: { 'pnpm-lock.yaml': '' } });
    const e = await refusal(dir);
    expect(e.code).toBe('UNSUPPORTED_APP');
    expect(e.message).toContain(join(root, 'node_modules'));
    expect(e.hint).toContain(`install the app on its own inside ${dir} (\`pnpm install --frozen-lockfile\`)`);
  });

  it('bun workspaces: refused with advice, since skew has not been tried on their layout', async () => {
    const root = await app({ pkg: { name: 'monorepo', private: true, workspaces: ['apps/*'] }, next: '16.4.6', files: { 'bun.lock': '' } });
    const dir = join(root, 'apps', 'web');
    await mkdir(dir, { recursive: true });
    await writeLayout(dir, { pkg: web() });
    const e = await refusal(dir);
    expect(e.message).toContain(`is a package of the bun workspace at ${root}`);
    expect(e.hint).toContain('standalone install');
  });
});

describe('inspectApp on a workspace package', () => {
  it('npm: next hoisted to the workspace root is the app’s own install, judged where it sits', async () => {
    const root = await app({
      pkg: { name: 'monorepo', private: true, workspaces: ['apps/*'] },
      next: '16.4.6',
      files: { 'package-lock.json': '{}' },
    });
    const dir = join(root, 'apps', 'web');
    await mkdir(dir, { recursive: true });
    await writeLayout(dir, { pkg: web() });
    const found = await inspectApp(dir);
    expect(found.workspace).toEqual({ root, manager: 'npm', app: join('apps', 'web') });
    expect(found.packageManager).toBe('npm');
    expect(found.nextVersion).toBe('16.4.6');
  });

  it("pnpm: next linked from the workspace's store", async () => {
    const root = await app({ pkg: { name: 'monorepo', private: true }, files: { 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n' } });
    const real = join(root, 'node_modules', '.pnpm', 'next@16.4.6', 'node_modules', 'next');
    await mkdir(real, { recursive: true });
    await writeFile(join(real, 'package.json'), JSON.stringify({ name: 'next', version: '16.4.6' }));
    const dir = join(root, 'apps', 'web');
    await mkdir(join(dir, 'node_modules'), { recursive: true });
    await symlink('../../../node_modules/.pnpm/next@16.4.6/node_modules/next', join(dir, 'node_modules', 'next'));
    await writeLayout(dir, { pkg: web({ next: '16.4.6', '@acme/ui': 'workspace:*' }) });
    const found = await inspectApp(dir);
    expect(found.workspace?.manager).toBe('pnpm');
    expect(found.packageManager).toBe('pnpm');
  });
});

describe('inspectApp on supported apps', () => {
  it("accepts pnpm's default isolated layout (next under node_modules/.pnpm, linked from node_modules/next)", async () => {
    const dir = await app({ pkg: web(), files: { 'pnpm-lock.yaml': 'lockfileVersion: 9.0\n' } });
    const real = join(dir, 'node_modules', '.pnpm', 'next@16.4.6_react@19.3.1', 'node_modules', 'next');
    await mkdir(real, { recursive: true });
    await writeFile(join(real, 'package.json'), JSON.stringify({ name: 'next', version: '16.4.6' }));
    await symlink(join('.pnpm', 'next@16.4.6_react@19.3.1', 'node_modules', 'next'), join(dir, 'node_modules', 'next'));
    expect(await inspectApp(dir)).toMatchObject({ packageManager: 'pnpm', nextVersion: '16.4.6', nodeModules: join(dir, 'node_modules') });
  });

  it('accepts Next 16 and reads the package manager from the lockfile', async () => {
    const dir = await app({ pkg: web(), next: '16.4.6', files: { 'yarn.lock': '' } });
    expect(await inspectApp(dir)).toEqual({
      dir,
      name: 'web',
      packageManager: 'yarn',
      lockfile: 'yarn.lock',
      nextVersion: '16.4.6',
      nextMajor: 16,
      nodeModules: join(dir, 'node_modules'),
    });
  });

  it('accepts Next 14 from devDependencies, with npm and no lockfile by default', async () => {
    const dir = await app({ pkg: { name: 'old-app', devDependencies: { next: '^14.2.0' } }, next: '14.2.0' });
    const p = await inspectApp(dir);
    expect(p).toMatchObject({ name: 'old-app', packageManager: 'npm', nextVersion: '14.2.0', nextMajor: 14 });
    expect(p).not.toHaveProperty('lockfile');
  });

  it('prefers pnpm-lock.yaml over package-lock.json and detects bun', async () => {
    const both = await app({ pkg: web(), next: '15.3.1', files: { 'pnpm-lock.yaml': '', 'package-lock.json': '{}' } });
    expect(await inspectApp(both)).toMatchObject({ packageManager: 'pnpm', lockfile: 'pnpm-lock.yaml', nextMajor: 15 });
    const bun = await app({ pkg: web(), next: '16.0.0', files: { 'bun.lock': '' } });
    expect(await inspectApp(bun)).toMatchObject({ packageManager: 'bun', lockfile: 'bun.lock' });
  });

  it('sanitizes a scoped name and falls back to the directory name', async () => {
    const scoped = await app({ pkg: { name: '@acme/web', dependencies: { next: '16.4.6' } }, next: '16.4.6' });
    expect((await inspectApp(scoped)).name).toBe('acme-web');
    const unnamed = await app({ pkg: { dependencies: { next: '16.4.6' } }, next: '16.4.6' });
    expect((await inspectApp(unnamed)).name).toBe(basename(unnamed).replace(/[^a-zA-Z0-9_-]+/g, '-'));
  });

  it('resolves a relative path to an absolute dir', async () => {
    const dir = await app({ pkg: web(), next: '16.4.6' });
    const p = await inspectApp(join(dir, 'node_modules', '..'));
    expect(p.dir).toBe(dir);
  });
});
