import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { program } from '../main.ts';
import { initCommand } from './init.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project as inspectApp accepts it: package.json with next, and next "installed". */
function project(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'skew init test '));
  dirs.push(d);
  writeFileSync(join(d, 'package.json'), JSON.stringify({ name: 'team-app', dependencies: { next: '16.4.6' } }));
  mkdirSync(join(d, 'node_modules', 'next'), { recursive: true });
  writeFileSync(join(d, 'node_modules', 'next', 'package.json'), JSON.stringify({ name: 'next', version: '16.4.6' }));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), text);
  }
  return d;
}

function io(cwd: string) {
  const out: string[] = [];
  return { io: { env: {}, cwd, out: (t: string) => void out.push(t), err: () => {}, isTTY: false }, text: () => out.join('') };
}

const WRITTEN = [
  'skew.config.ts',
  'skew/deploy.sh',
  'skew/playwright.config.ts',
  'skew/roll-forward.spec.ts',
  '.github/workflows/skew.yml',
];

describe('skew init', () => {
  it('writes the config, an executable deploy script, a spec and a workflow, and says what each is', async () => {
    const d = project();
    const { io: o, text } = io(d);
    expect(await initCommand(o, undefined, {})).toBe(0);
    for (const f of WRITTEN) expect(existsSync(join(d, f)), f).toBe(true);
    expect(statSync(join(d, 'skew/deploy.sh')).mode & 0o111).toBe(0o111);
    for (const f of WRITTEN) expect(text()).toContain(`wrote ${f}`);
    expect(text()).toContain('npx skew run roll-forward roll-back');
    expect(text()).toContain('add `runs/` to .gitignore');
    // No placeholder left, and npm's own commands in the workflow.
    const workflow = readFileSync(join(d, '.github/workflows/skew.yml'), 'utf8');
    expect(workflow).not.toMatch(/\{\{[a-z-]+\}\}/);
    expect(workflow).toContain('run: "npm ci"');
    expect(workflow).not.toContain('action-setup');
    expect(workflow).toMatch(/run: "npx skew run --shard \$\{\{ matrix\.shard \}\} --junit runs\/skew-junit\.xml"/);
    // The deploy script is valid bash.
    execFileSync('bash', ['-n', join(d, 'skew/deploy.sh')]);
  });

  it('never overwrites: a second run and a team file of the same name are kept byte for byte', async () => {
    const d = project({ 'skew/deploy.sh': '#!/bin/sh\n# ours\n', 'skew.config.mjs': 'export default {};\n' });
    const { io: o, text } = io(d);
    expect(await initCommand(o, '.', {})).toBe(0);
    expect(readFileSync(join(d, 'skew/deploy.sh'), 'utf8')).toBe('#!/bin/sh\n# ours\n');
    // Another config file already decides: no second one beside it.
    expect(existsSync(join(d, 'skew.config.ts'))).toBe(false);
    expect(text()).toMatch(/kept {2}skew\/deploy\.sh +exists: not overwritten/);
    expect(text()).toMatch(/kept {2}skew\.config\.mjs/);
    const before = readFileSync(join(d, 'skew/roll-forward.spec.ts'), 'utf8');
    writeFileSync(join(d, 'skew/roll-forward.spec.ts'), `${before}// edited\n`);
    const again = io(d);
    expect(await initCommand(again.io, '.', {})).toBe(0);
    expect(again.text()).not.toContain('wrote');
    expect(readFileSync(join(d, 'skew/roll-forward.spec.ts'), 'utf8')).toBe(`${before}// edited\n`);
  });

  it('uses the project package manager in the workflow (pnpm)', async () => {
    const d = project({ 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" });
    const { io: o } = io(d);
    await initCommand(o, undefined, { json: true });
    const workflow = readFileSync(join(d, '.github/workflows/skew.yml'), 'utf8');
    expect(workflow).toContain('pnpm/action-setup');
    expect(workflow).toContain('run: "pnpm install --frozen-lockfile"');
    expect(workflow).toContain('      - uses: pnpm/action-setup@v4\n      - uses: actions/setup-node@v4');
    expect(workflow).toContain('pnpm exec skew run roll-forward roll-back');
  });

  it('refuses a folder that is not a Next.js project before writing anything', async () => {
    const d = mkdtempSync(join(tmpdir(), 'skew-init-not-next-'));
    dirs.push(d);
    writeFileSync(join(d, 'package.json'), JSON.stringify({ name: 'lib' }));
    await expect(initCommand(io(d).io, undefined, {})).rejects.toMatchObject({ code: 'INVALID_APP' });
    expect(existsSync(join(d, 'skew'))).toBe(false);
    expect(existsSync(join(d, 'skew.config.ts'))).toBe(false);
  });

  it('removes what it wrote when a later file cannot be written (nothing half-done)', async () => {
    if (process.getuid?.() === 0) {
      // Root writes through permissions: block the workflow's folder with a file instead.
      const d = project({ '.github': 'not a folder' });
      await expect(initCommand(io(d).io, undefined, {})).rejects.toMatchObject({ code: 'INIT_FAILED' });
      for (const f of WRITTEN.slice(0, 4)) expect(existsSync(join(d, f)), f).toBe(false);
      return;
    }
    const d = project();
    mkdirSync(join(d, '.github'));
    chmodSync(join(d, '.github'), 0o555);
    await expect(initCommand(io(d).io, undefined, {})).rejects.toMatchObject({ code: 'INIT_FAILED' });
    for (const f of WRITTEN.slice(0, 4)) expect(existsSync(join(d, f)), f).toBe(false);
  });

  it('is a command of the CLI', () => {
    expect(
      program(io('/').io, () => {})
        .commands.map((c) => c.name())
        .includes('init'),
    ).toBe(true);
  });
});
