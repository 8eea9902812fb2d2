import { mkdir, writeFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { dirname } from 'node:path';
import { History } from '../harness/core/history.ts';
import type { ActionHandle } from '../harness/deployers/deployer.ts';
import type { DeployerWatch, FaultContext, FaultKind } from '../harness/faults/fault.ts';
import { waitFor } from '../harness/io/wait.ts';

/** Test support for the storage faults' colocated tests. */

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

/**
 * What a storage fault's inject touches: the deployer watch it registers and the history its
 * hits go to. `watching()` is the watch registered now (undefined once the heal removed it).
 */
export function fakeStorageCtx() {
  const history = new History();
  let watch: DeployerWatch | undefined;
  const ctx = {
    history,
    watchDeployer: (w: DeployerWatch) => {
      watch = w;
      return () => {
        if (watch === w) watch = undefined;
      };
    },
  } as unknown as FaultContext;
  return { ctx, history, watching: () => watch };
}

/**
 * A deployer action a test holds, recording what it was told: each pause as SIGSTOP (with its
 * time), each resume as SIGCONT, each kill's reason. `pausable` is what `pause` answers: true for
 * a command that runs, false for one that cannot be frozen (a module deployer's action). A
 * watch's slice starts with a pause and then reads the time it holds files at, so the last pause
 * before a write is a lower bound for that time (a writer that is not frozen may still be seen).
 */
export function fakeAction(pausable = false) {
  const signals: NodeJS.Signals[] = [];
  const stopTimes: number[] = [];
  const kills: string[] = [];
  const handle: ActionHandle = {
    outcome: new Promise(() => {}),
    pause: () => {
      signals.push('SIGSTOP');
      stopTimes.push(Date.now());
      return pausable;
    },
    resume: () => void signals.push('SIGCONT'),
    kill: (reason) => void kills.push(reason),
    output: () => [],
  };
  return { handle, signals, kills, stops: () => stopTimes.length, lastStop: () => stopTimes.at(-1)! };
}

/** A storage fault's inject registers a deployer watch, and its heal removes it. */
export async function expectWatchesUntilHealed(fault: FaultKind<object>, params: object): Promise<void> {
  const { ctx, watching } = fakeStorageCtx();
  const heal = await fault.inject(ctx, params);
  expect(typeof watching()).toBe('function');
  await heal();
  expect(watching()).toBeUndefined();
}
