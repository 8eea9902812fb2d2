import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CDN_KINDS, type CdnKind } from '../harness/cdn/runtime.ts';

export const RUNS_DIR = resolve('runs/e2e');

export const BIN = resolve('bin/skew.mjs');

/** Runs the real `skew` binary; resolves with its exit code and output. */
export function skew(args: string[], cwd: string, onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void) => void) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(stderr, (sig) => child.kill(sig));
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
 * The suite has two tiers. `npm test` (and .ci/run) runs the PR tier: every scenario's good
 * deployer, and at least one negative control for every check, fault kind and CDN runtime. The
 * nightly workflow sets SKEW_E2E=full and also runs the variants that prove nothing the PR tier
 * does not (more retention windows, more purge failure kinds, the second runtime on roll-back…),
 * which keeps .ci/run well under its 30-minute budget on a 2-core machine.
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
 * Processes that belong to runs under `dir`: nginx started with a prefix there, and Next
 * origins whose working directory is a release there. Used to prove nothing is left behind.
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

/** Containers this harness labelled, still present. */
export function leftoverContainers(): string[] {
  try {
    return execFileSync('docker', ['ps', '-aq', '--filter', 'label=skew.run'], { timeout: 10_000 }).toString().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Headless Chromium processes on the machine (the suite runs alone: the count must not grow). */
export function headlessChromiums(): number {
  try {
    return Number(execFileSync('pgrep', ['-fc', 'chrom(e|ium).*--headless']).toString().trim());
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}
