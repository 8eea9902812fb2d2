import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { HarnessError, isHarnessError } from '../errors/harness-error.ts';
import { trackChild } from '../io/children.ts';
import { LogBuffer } from '../io/log-buffer.ts';
import { freePort } from '../io/ports.ts';
import { waitFor } from '../io/wait.ts';
import { NO_DEPLOYMENT_ID, withoutDeploymentId } from '../builds/next-build.ts';
import { standaloneServer } from '../builds/standalone.ts';

const require = createRequire(import.meta.url);

/** The `next` CLI of the installed Next.js (run with our Node 24, not whatever is on PATH). */
export function nextBin(): string {
  return join(dirname(require.resolve('next/package.json')), 'dist/bin/next');
}

/**
 * How a release starts: a standalone build with its traced `server.js` (PORT/HOSTNAME from the
 * environment), a user's app with its own Next (its node_modules link), the fixture with ours.
 */
async function startCommand(dir: string, port: number): Promise<{ args: string[]; cwd: string }> {
  const server = await standaloneServer(dir);
  if (server) return { args: [server], cwd: dirname(server) };
  const own = join(dir, 'node_modules', 'next', 'dist', 'bin', 'next');
  return { args: [existsSync(own) ? own : nextBin(), 'start', '-p', String(port), '-H', '127.0.0.1'], cwd: dir };
}

/**
 * One `next start` for one release, on its own free loopback port: the process manager's part
 * of the stack. `NEXT_DEPLOYMENT_ID` must be set at start too (next start re-reads next.config).
 */
export class Origin {
  private readonly out = new LogBuffer(300);
  private exited: Promise<void>;

  private constructor(
    readonly deploymentId: string,
    readonly port: number,
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => this.out.push(d));
    child.stderr?.on('data', (d: Buffer) => this.out.push(d));
    this.exited = new Promise((r) => child.once('exit', () => r()));
  }

  static async start(dir: string, deploymentId: string, runId: string, env: Record<string, string> = {}): Promise<Origin> {
    // next start on a directory without a build does not always exit: say so at once.
    if (!existsSync(join(dir, '.next', 'BUILD_ID'))) {
      throw new HarnessError(
        'ORIGIN_FAILED',
        `release ${dir} has no .next/BUILD_ID`,
        'a release must be a complete copy of a build (next.config.mjs, package.json, .next/, public/)',
      );
    }
    const port = await freePort();
    const { args, cwd } = await startCommand(dir, port);
    // A release built without a deployment id runs without one: Next reads NEXT_DEPLOYMENT_ID itself.
    const pinned = !existsSync(join(dir, NO_DEPLOYMENT_ID));
    const child = spawn(process.execPath, args, {
      cwd,
      env: {
        ...withoutDeploymentId(process.env),
        ...env,
        ...(pinned ? { NEXT_DEPLOYMENT_ID: deploymentId } : {}),
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: 'production',
        SKEW_RUN: runId,
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: stop() takes any workers with it
    });
    trackChild(child, `next start ${deploymentId}`, { group: true });
    const o = new Origin(deploymentId, port, dir, child);
    try {
      await waitFor(
        `next start of ${deploymentId} to answer on 127.0.0.1:${port}`,
        async () => {
          if (child.exitCode !== null)
            throw new HarnessError(
              'ORIGIN_FAILED',
              `next start for ${deploymentId} exited with code ${child.exitCode}`,
              'see the origin log lines',
              { details: o.out.tail(20) },
            );
          const r = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
          return r.status > 0;
        },
        { timeoutMs: 30_000, logs: () => o.out.tail(20), hint: `the release in ${dir} did not start; is it a complete Next.js build?` },
      );
    } catch (e) {
      await o.stop();
      if (isHarnessError(e) && e.code === 'WAIT_TIMEOUT')
        throw new HarnessError('ORIGIN_FAILED', e.message, e.hint, { details: e.details, cause: e });
      throw e;
    }
    return o;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  logs(): string[] {
    return this.out.all();
  }

  /** True while the process runs (a killed or crashed origin is not). */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A real signal to the whole process group (a crash, an OOM kill): no graceful shutdown. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.alive || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      return;
    }
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const done = await Promise.race([this.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 3_000).unref())]);
    if (!done) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
      await this.exited;
    }
  }
}
