import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppProject } from './project.ts';
import { dependencySnapshot, listSource } from './work-copy.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const FILES = [
  'app/page.tsx',
  'app/builds/page.tsx', // a route named like skew's output folder: the app's
  'app/runs/[id]/page.tsx',
  'src/out/helper.ts',
  'builds/x/.next/BUILD_ID',
  'runs/r1/report.json',
  'out/index.html',
  'skew/deploy.sh',
  'skew/roll-forward.spec.ts',
  'skew.config.ts',
  'node_modules/next/package.json',
  'app/node_modules/x.js',
  '.next/BUILD_ID',
  'package.json',
  'package-lock.json',
  'pnpm-workspace.yaml',
];
const SOURCE = ['app/builds/page.tsx', 'app/page.tsx', 'app/runs/[id]/page.tsx', 'package.json', 'src/out/helper.ts'];

function tree(): string {
  const d = mkdtempSync(join(tmpdir(), 'skew-source-'));
  dirs.push(d);
  for (const f of FILES) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), f);
  }
  return d;
}

describe('listSource', () => {
  it("keeps the app's folders named builds, runs or out, and leaves out skew's own and top-level outputs (walked)", async () => {
    const d = tree();
    expect(await listSource({ dir: d } as AppProject)).toEqual(SOURCE);
  });

  it('the same from git (tracked and untracked files)', async () => {
    const d = tree();
    execFileSync('git', ['init', '-q', d]);
    execFileSync('git', ['-C', d, 'add', 'app/page.tsx', 'skew.config.ts']);
    expect(await listSource({ dir: d } as AppProject)).toEqual(SOURCE);
  });
});

describe('dependencySnapshot', () => {
  it("puts pnpm 10's settings-only pnpm-workspace.yaml beside the snapshot, so Next takes the snapshot's folder for the root", async () => {
    const app = mkdtempSync(join(tmpdir(), 'skew-snapshot-app-'));
    const work = mkdtempSync(join(tmpdir(), 'skew-snapshot-work-'));
    dirs.push(app, work);
    mkdirSync(join(app, 'node_modules', 'next'), { recursive: true });
    writeFileSync(join(app, 'node_modules', 'next', 'package.json'), '{"name":"next"}');
    writeFileSync(join(app, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    writeFileSync(join(app, 'pnpm-workspace.yaml'), 'ignoredBuiltDependencies:\n  - sharp\n');
    const project = { dir: app, nodeModules: join(app, 'node_modules'), lockfile: 'pnpm-lock.yaml', name: 'a' } as AppProject;
    const { root } = await dependencySnapshot(project, work, 'stamp', () => {});
    expect(existsSync(join(root, 'pnpm-workspace.yaml'))).toBe(true);
    expect(existsSync(join(root, 'pnpm-lock.yaml'))).toBe(true);
    // The app copy (<root>/app) holds neither (listSource leaves both out): Next's own root
    // finder, from the copy, lands on the snapshot's folder, whose node_modules has next.
    const copy = join(root, 'app');
    mkdirSync(copy);
    writeFileSync(join(copy, 'package.json'), '{}');
    const { findRootDirAndLockFiles } = createRequire(import.meta.url)('next/dist/lib/find-root.js') as {
      findRootDirAndLockFiles: (cwd: string) => { rootDir: string };
    };
    expect(findRootDirAndLockFiles(copy).rootDir).toBe(root);
    // The negative control, the layout before: the file in the copy, only the lockfile beside the
    // snapshot. The copy is the root, and the snapshot's node_modules is outside it.
    rmSync(join(root, 'pnpm-workspace.yaml'));
    writeFileSync(join(copy, 'pnpm-workspace.yaml'), 'ignoredBuiltDependencies:\n  - sharp\n');
    expect(findRootDirAndLockFiles(copy).rootDir).toBe(copy);
  });
});
