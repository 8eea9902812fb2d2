import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The layering rule is a detector like any other: each tool must fail on a deliberate violation
 * and pass its clean control. Both run on a scratch tree with the project's own configuration,
 * so nothing is written into the sources.
 */
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const run = promisify(execFile);

let tree: string;
afterEach(() => rmSync(tree, { recursive: true, force: true }));

/** A scratch tree with the project's lint and graph configuration and the given files. */
function scratch(files: Record<string, string>): string {
  tree = mkdtempSync(join(tmpdir(), 'skew-layering-'));
  cpSync(join(ROOT, 'biome.jsonc'), join(tree, 'biome.jsonc'));
  cpSync(join(ROOT, '.dependency-cruiser.cjs'), join(tree, '.dependency-cruiser.cjs'));
  writeFileSync(join(tree, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, module: 'NodeNext' } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  return tree;
}

/** Exit code and output of a tool run in the scratch tree. */
async function tool(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(join(BIN, cmd), args, { cwd: tree });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout + x.stderr };
  }
}

const biome = (file: string) => tool('biome', ['lint', '--vcs-enabled=false', file]);
const graph = () => tool('depcruise', ['harness', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']);

describe('the layering rule (biome.jsonc, .dependency-cruiser.cjs)', () => {
  it('biome: a check that imports the stack, the browser or a process API fails; one that imports the core passes', async () => {
    scratch({
      'harness/checks/reaches-the-stack.ts': "import { Stack } from '../stack/stack.ts';\n\nexport const s = Stack;\n",
      'harness/core/spawns.ts': "import { spawn } from 'node:child_process';\n\nexport const s = spawn;\n",
      'harness/checks/drives-a-browser.ts': "import { chromium } from 'playwright';\n\nexport const c = chromium;\n",
      'harness/core/reads-env.ts': 'export const e = process.env.HOME;\n',
      'harness/checks/pure.ts':
        "import type { Stamped } from '../core/history.ts';\nimport { z } from 'zod';\n\nexport type S = Stamped;\nexport const n = z.number();\n",
    });
    for (const file of ['harness/checks/reaches-the-stack.ts', 'harness/core/spawns.ts', 'harness/checks/drives-a-browser.ts']) {
      const r = await biome(file);
      expect(r.code, `${file}\n${r.out}`).not.toBe(0);
      expect(r.out).toContain('lint/style/noRestrictedImports');
    }
    expect((await biome('harness/core/reads-env.ts')).out).toContain('lint/correctness/noProcessGlobal');
    const clean = await biome('harness/checks/pure.ts');
    expect(clean.code, clean.out).toBe(0);
  });

  it('dependency-cruiser: the core importing the stack and a fault↔step circle fail, naming their rules', async () => {
    scratch({
      'harness/core/scenario.ts': "import { start } from '../stack/stack.ts';\n\nexport const s = start;\n",
      'harness/stack/stack.ts': 'export const start = 1;\n',
      'harness/faults/fault.ts': "import type { StepContext } from '../steps/step.ts';\n\nexport type F = StepContext;\n",
      'harness/steps/step.ts': "import type { F } from '../faults/fault.ts';\n\nexport type StepContext = { f?: F };\n",
    });
    const r = await graph();
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain('core-ground-floor: harness/core/scenario.ts → harness/stack/stack.ts');
    expect(r.out).toContain('faults-below-steps: harness/faults/fault.ts → harness/steps/step.ts');
    expect(r.out).toContain('no-circular');
  });

  it('dependency-cruiser: a tree that keeps its floors passes', async () => {
    scratch({
      'harness/core/history.ts': 'export type Event = { t: number };\n',
      'harness/checks/check.ts': "import type { Event } from '../core/history.ts';\n\nexport type Judge = (e: Event[]) => boolean;\n",
      'harness/steps/step.ts': "import type { Judge } from '../checks/check.ts';\n\nexport type Step = { judge?: Judge };\n",
    });
    const r = await graph();
    expect(r.code, r.out).toBe(0);
  });
});
