import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { History } from '../core/history.ts';
import { waitFor } from '../io/wait.ts';
import type { DeployerHandle } from '../steps/step.ts';

/** Test support for the storage faults (not a test file): shared by their colocated tests. */

/** A named, bounded wait on a condition (the project's waitFor, polled finely). */
export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  await waitFor(what, cond, { timeoutMs: ms, intervalMs: 5 });
}

/** Writes a file, creating its directory, and returns its path. */
export async function touch(path: string, body = 'x'): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
  return path;
}

/** What a storage fault's inject touches: the deploy hook it sets and the history its hits go to. */
export function fakeStorageCtx() {
  const history = new History();
  const ctx = { duringDeploy: {} as { interrupt?: (root: string, d: DeployerHandle) => () => void }, history };
  return { ctx, history };
}
