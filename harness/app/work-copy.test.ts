import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppProject } from './project.ts';
import { listSource } from './work-copy.ts';

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
