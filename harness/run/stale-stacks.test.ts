import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { markRunning, removeStaleStacks, staleStacks } from './stale-stacks.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function runsWith(runs: Record<string, { report?: boolean; pid?: number }>): string {
  const root = mkdtempSync(join(tmpdir(), 'skew runs '));
  roots.push(root);
  for (const [id, r] of Object.entries(runs)) {
    mkdirSync(join(root, id, 'stack', 'deploy', 'releases', 'a'), { recursive: true });
    writeFileSync(join(root, id, 'stack', 'deploy', 'releases', 'a', 'chunk.js'), 'x'.repeat(1000));
    if (r.report) writeFileSync(join(root, id, 'report.json'), '{}');
  }
  return root;
}

describe('stale stacks', () => {
  it('finds the release copies of runs that died: no report, no live holder', async () => {
    const root = runsWith({ died: {}, judged: { report: true }, running: {}, 'holder gone': {} });
    await markRunning(join(root, 'running'));
    // A pid no process has (above the kernel's pid_max default).
    await markRunning(join(root, 'holder gone'), 4_194_304 + 7);
    expect((await staleStacks(root)).map((s) => s.runId).sort()).toEqual(['died', 'holder gone']);
  });

  it('removes only those, saying how much each held', async () => {
    const root = runsWith({ died: {}, judged: { report: true } });
    expect(await removeStaleStacks(root)).toEqual([{ runId: 'died', bytes: 1000 }]);
    expect(existsSync(join(root, 'died', 'stack', 'deploy'))).toBe(false);
    expect(existsSync(join(root, 'judged', 'stack', 'deploy'))).toBe(true);
    expect(await removeStaleStacks(join(root, 'missing'))).toEqual([]);
  });
});
