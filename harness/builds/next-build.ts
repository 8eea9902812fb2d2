import { spawn } from 'node:child_process';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors/harness-error.ts';
import { signalGroup, trackChild } from '../io/children.ts';
import { Interrupted, interruptedBy, onInterrupt } from '../io/interrupt.ts';
import { keepSymlinksAfterMove, move, worldReadable } from '../io/files.ts';
import { LogBuffer } from '../io/log-buffer.ts';
import type { Build } from './types.ts';

/**
 * In a build made without a deployment id, and in every release copied from it: tells the
 * fixture's next.config.mjs and `next start` (stack/origin.ts) that there is none.
 */
export const NO_DEPLOYMENT_ID = 'skew-no-deployment-id';

/** Marks a complete build in `builds/<key>/`: written last, read as the cache. */
export const BUILD_RECORD = 'build.json';

export interface NextBuildRun {
  /** The `next` CLI to run (ours for the fixture, the app's own for `--app`), with our Node 24. */
  nextBin: string;
  cwd: string;
  flags: string[];
  /** Set as NEXT_DEPLOYMENT_ID; undefined builds without one (`--deployment-id off`). */
  deploymentId?: string | undefined;
  env?: Record<string, string>;
  /** Names the build in the process list and in the error. */
  label: string;
  /** What to tell the user when it fails (where the copy is, how to reproduce). */
  hint: string;
  log: (line: string) => void;
}

/**
 * One `next build` with `NEXT_DEPLOYMENT_ID` set (unless built without one), in its own process
 * group (Ctrl-C takes it along). Its output is kept, not streamed, and shown when it fails.
 */
export async function runNextBuild(r: NextBuildRun): Promise<void> {
  const out = new LogBuffer(300, r.log);
  const child = spawn(process.execPath, [r.nextBin, 'build', ...r.flags], {
    cwd: r.cwd,
    env: {
      ...withoutDeploymentId(process.env),
      ...r.env,
      ...(r.deploymentId ? { NEXT_DEPLOYMENT_ID: r.deploymentId } : {}),
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  trackChild(child, `next build ${r.label}`, { group: true });
  // On Ctrl-C the build stops at once; its caller still moves .next/cache back for the next build.
  const unhook = onInterrupt(() => signalGroup(child.pid, 'SIGKILL'));
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => out.push(d));
  const code = await new Promise<number | null>((res) => {
    child.once('exit', (c) => res(c));
    child.once('error', () => res(-1));
  });
  unhook();
  const signal = interruptedBy();
  if (signal) throw new Interrupted(signal);
  if (code !== 0)
    throw new HarnessError('BUILD_FAILED', `next build of ${r.label} failed with exit code ${code}`, r.hint, { details: out.tail(30) });
}

/**
 * Publishes a finished build as `builds/<key>/`: assembled under a temp name (the app moved in,
 * `prepare` run on it, build.json written last), then one rename. The caller holds the build
 * lock and found no build.json, so whatever sits at the target or the temp name is debris.
 */
export async function publishBuild(buildsDir: string, build: Build, from: string, prepare?: (app: string) => Promise<void>): Promise<void> {
  const dir = join(buildsDir, build.key);
  const tmp = join(buildsDir, `.${build.key}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  try {
    await mkdir(tmp, { recursive: true });
    await move(from, join(tmp, 'app'));
    await keepSymlinksAfterMove(from, join(tmp, 'app'));
    await prepare?.(join(tmp, 'app'));
    await writeFile(join(tmp, BUILD_RECORD), JSON.stringify(build, null, 2));
    await worldReadable(tmp);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (e) {
    // Nothing half-published stays behind: the next run builds again from scratch.
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** The environment without NEXT_DEPLOYMENT_ID: Next turns that variable into `deploymentId` by itself. */
export function withoutDeploymentId(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NEXT_DEPLOYMENT_ID: _, ...rest } = env;
  return rest;
}
