import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alive } from './kept.ts';

/** A run's holder while it runs: `runs/<id>/running.pid`, removed when its teardown ends. */
export const RUNNING_FILE = 'running.pid';

export async function markRunning(runDir: string, pid = process.pid): Promise<void> {
  await writeFile(join(runDir, RUNNING_FILE), `${pid}\n`);
}

export async function unmarkRunning(runDir: string): Promise<void> {
  await rm(join(runDir, RUNNING_FILE), { force: true });
}

/**
 * Release copies (`runs/<id>/stack/deploy`) of runs that died without their teardown (a
 * SIGKILL, a crashed CI runner): the run wrote no report and its holder is gone. A run still
 * going, or one kept on purpose (`--keep-stack`, `repro --keep`: they have a report or a live
 * holder), is left alone.
 */
export async function staleStacks(runsDir: string): Promise<{ runId: string; dir: string }[]> {
  const ids = await readdir(runsDir).catch(() => [] as string[]);
  const stale: { runId: string; dir: string }[] = [];
  for (const runId of ids) {
    const runDir = join(runsDir, runId);
    const dir = join(runDir, 'stack', 'deploy');
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) continue;
    if (await stat(join(runDir, 'report.json')).catch(() => undefined)) continue;
    const pid = Number.parseInt(await readFile(join(runDir, RUNNING_FILE), 'utf8').catch(() => ''), 10);
    if (pid > 0 && alive(pid)) continue;
    stale.push({ runId, dir });
  }
  return stale;
}

/** Removes the stale release copies; returns what went, with its size. */
export async function removeStaleStacks(runsDir: string): Promise<{ runId: string; bytes: number }[]> {
  const removed: { runId: string; bytes: number }[] = [];
  for (const s of await staleStacks(runsDir)) {
    const bytes = await sizeOf(s.dir);
    await rm(s.dir, { recursive: true, force: true });
    removed.push({ runId: s.runId, bytes });
  }
  return removed;
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (e.isFile()) total += (await stat(join(e.parentPath, e.name)).catch(() => undefined))?.size ?? 0;
  }
  return total;
}
