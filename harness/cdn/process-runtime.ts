import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { HarnessError } from '../errors/harness-error.ts';
import { LogBuffer } from '../io/log-buffer.ts';
import { waitFor } from '../io/wait.ts';
import { signalGroup, trackChild } from '../io/children.ts';
import type { SandboxUser } from '../io/unprivileged.ts';
import { NJS_MODULE, type CdnRuntime, type CdnRuntimeSpec } from './runtime.ts';

/** nginx as a local child process: the fast default (ready in ~10 ms). */
export class ProcessRuntime implements CdnRuntime {
  readonly kind = 'process' as const;
  private child?: ChildProcess;
  private readonly out = new LogBuffer();
  private exited?: Promise<void>;

  /** `user`: run master and workers as that user (the origin nginx, which loads a deployer's includes). */
  constructor(
    private readonly nginxBin = 'nginx',
    private readonly user?: SandboxUser,
  ) {}

  static check(nginxBin = 'nginx'): void {
    if (!existsSync(NJS_MODULE)) {
      throw new HarnessError(
        'NO_NJS',
        `the nginx njs module is missing (${NJS_MODULE})`,
        'run `npm run setup` (installs Debian packages nginx-light and libnginx-mod-http-js)',
      );
    }
    void nginxBin;
  }

  /**
   * `nginx -t` on a configuration (with every file it includes as they are now): undefined when
   * nginx accepts it, else what nginx said. The running nginx is not touched.
   */
  static async test(
    spec: Pick<CdnRuntimeSpec, 'prefix' | 'configFile'>,
    nginxBin = 'nginx',
    user?: SandboxUser,
  ): Promise<string[] | undefined> {
    // As the user that runs it: `nginx -t` opens every log file the configuration names.
    const child = spawn(nginxBin, ['-t', '-q', '-p', spec.prefix, '-c', spec.configFile, '-e', 'stderr'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ?? {}),
    });
    const out = new LogBuffer(50);
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => out.push(d));
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.once('error', () => resolve(127));
    });
    return code === 0 ? undefined : out.all().filter((l) => l.trim());
  }

  async start(spec: CdnRuntimeSpec): Promise<void> {
    ProcessRuntime.check(this.nginxBin);
    // Its own process group: when the harness dies without a teardown (a second Ctrl-C, a
    // crash), the exit hook's SIGKILL takes the workers with the master. Killed alone, the
    // master left its workers running.
    const child = spawn(this.nginxBin, ['-p', spec.prefix, '-c', spec.configFile, '-e', 'stderr'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(this.user ?? {}),
    });
    this.child = child;
    trackChild(child, `nginx (${spec.runId})`, { group: true });
    child.stdout?.on('data', (d: Buffer) => this.out.push(d));
    child.stderr?.on('data', (d: Buffer) => this.out.push(d));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'ENOENT'
            ? new HarnessError(
                'NO_NGINX',
                'nginx is not installed (no `nginx` on PATH)',
                'run `npm run setup`, or `apt-get install nginx-light libnginx-mod-http-js`',
              )
            : e,
        ),
      ),
    );
    const started = waitFor(
      'nginx to start its worker process',
      () => {
        if (child.exitCode !== null)
          throw new HarnessError(
            'CDN_FAILED',
            `nginx exited with code ${child.exitCode} at start`,
            'the generated configuration or a port was rejected; see the log lines',
            { details: this.out.tail(20) },
          );
        return this.out.tail(50).some((l) => l.includes('start worker process'));
      },
      { timeoutMs: 10_000, logs: () => this.out.tail(20) },
    );
    await Promise.race([started, spawnError]);
  }

  /**
   * SIGHUP, then wait until every worker of the old configuration has exited: an old worker
   * still serving a kept-alive connection would route with the old table (measured: a probe
   * right after a reload reached the previous origin and the edge cached its HTML).
   */
  async reload(): Promise<void> {
    const master = this.child?.pid;
    if (!master || this.child?.exitCode !== null)
      throw new HarnessError('CDN_FAILED', 'nginx is not running, cannot reload', 'see the nginx log lines', {
        details: this.out.tail(20),
      });
    const before = new Set(await workers(master));
    this.child.kill('SIGHUP');
    await waitFor(
      'nginx to replace its workers after a reload',
      async () => {
        const now = await workers(master);
        return now.length > 0 && now.every((pid) => !before.has(pid));
      },
      { timeoutMs: 10_000, logs: () => this.out.tail(20) },
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGQUIT'); // graceful: workers finish in-flight requests
    const done = await Promise.race([this.exited!.then(() => true), timeout(5_000)]);
    if (!done) {
      signalGroup(child.pid, 'SIGKILL');
      await this.exited;
    }
  }

  logs(): string[] {
    return this.out.all();
  }
}

/** Worker pids of an nginx master, from /proc (children whose parent is the master). */
async function workers(master: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // Field 4 (after the parenthesised command name) is the parent pid.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === master) out.push(Number(name));
  }
  return out;
}

function timeout(ms: number): Promise<false> {
  return new Promise((r) => setTimeout(() => r(false), ms).unref());
}
