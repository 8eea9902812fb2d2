import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CDN_KINDS, type CdnKind } from '../harness/cdn/runtime.ts';

export const RUNS_DIR = resolve('runs/e2e');

export const BIN = resolve('bin/skew.mjs');

/** Runs the real `skew` binary; resolves with its exit code and output. */
export function skew(
  args: string[],
  cwd: string,
  onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void, pid: number) => void,
  env: NodeJS.ProcessEnv = {},
) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...childEnv(cwd), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(stderr, (sig) => child.kill(sig), child.pid!);
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((r) =>
    child.once('exit', (code) => r({ code, stdout, stderr })),
  );
}

export function workDir(name: string): string {
  mkdirSync(RUNS_DIR, { recursive: true });
  return mkdtempSync(join(RUNS_DIR, `${name}-`));
}

/**
 * The suite has two tiers. `npm test` (and .ci/run) runs the PR tier, within .ci/run's 30 minutes
 * on a 2-core machine: every check passing with a good deployer and firing with a broken one, every
 * step kind played, every fault kind, world, deployment-id mode and CDN runtime with a good and
 * a broken deployer (catalogue.spec picks the first test in catalogue order that proves each
 * point). The nightly workflow sets SKEW_E2E=full and runs every scenario with every reference
 * deployer in every world; each test left to it names the PR-tier test that proves its points.
 */
export function fullTier(): boolean {
  return process.env.SKEW_E2E === 'full';
}

/** The CDN runtimes the suite covers: both unless SKEW_E2E_CDN narrows it. */
export function cdnKinds(): CdnKind[] {
  const only = CDN_KINDS.find((k) => k === process.env.SKEW_E2E_CDN);
  return only ? [only] : [...CDN_KINDS];
}

/**
 * Processes that belong to runs under `dir`: nginx started with a prefix there, Next origins
 * whose working directory is a release there, and Chromiums whose profile is there (childEnv).
 * Used to prove nothing is left behind.
 */
export function leftovers(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmd = execFileSync('cat', [`/proc/${pid}/cmdline`])
        .toString()
        .replace(/\0/g, ' ');
      if (cmd.includes(dir) || cwd.startsWith(dir)) found.push(`${pid} ${cmd.slice(0, 120)}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/**
 * Containers this harness labelled, still present: of the given runs (their run ids, the
 * folders under runs/), or of any run. Tests pass their own runs: other workers' runs may be up.
 */
export function leftoverContainers(runIds?: readonly string[]): string[] {
  try {
    const lines = execFileSync('docker', ['ps', '-a', '--filter', 'label=skew.run', '--format', '{{.ID}} {{.Label "skew.run"}}'], {
      timeout: 10_000,
    })
      .toString()
      .split('\n')
      .filter(Boolean);
    return lines.filter((l) => !runIds || runIds.includes(l.split(' ')[1] ?? '')).map((l) => l.split(' ')[0]!);
  } catch {
    return [];
  }
}

/** The run ids under a working folder's runs/ (what its skew commands started). */
export function runIdsIn(cwd: string): string[] {
  const dir = join(cwd, 'runs');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/**
 * The environment for a child skew or Playwright process whose leftovers a test checks: its
 * temp folder inside `dir`, so Chromium's profile (--user-data-dir) is there and `leftovers(dir)`
 * finds a browser left running, whatever other workers run beside it.
 */
export function childEnv(dir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return { ...env, TMPDIR: tmp };
}
