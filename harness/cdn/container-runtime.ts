import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { HarnessError } from '../errors/harness-error.ts';
import { LogBuffer } from '../io/log-buffer.ts';
import { waitFor } from '../io/wait.ts';
import type { CdnRuntime, CdnRuntimeSpec } from './runtime.ts';

/** Public default; CI and offline machines set SKEW_NGINX_IMAGE=local/nginx:bookworm (see setup). */
export const DEFAULT_NGINX_IMAGE = 'nginx:1.27-bookworm';
/** Built by `npm run setup` without any registry; used when the default cannot be pulled. */
export const LOCAL_NGINX_IMAGE = 'local/nginx:bookworm';

/**
 * nginx in a container through testcontainers. Host networking (the edge and the origins are
 * on 127.0.0.1), the stack directory bind-mounted at the same path so the generated config is
 * byte-for-byte the one the process runtime uses.
 */
export class ContainerRuntime implements CdnRuntime {
  readonly kind = 'container' as const;
  private container?: StartedTestContainer;
  private spec?: CdnRuntimeSpec;
  private readonly out = new LogBuffer();

  private image: string;
  /** Only an image nobody chose may be swapped for the local one. */
  private readonly explicit: boolean;

  constructor(image = process.env.SKEW_NGINX_IMAGE) {
    this.image = image || DEFAULT_NGINX_IMAGE;
    this.explicit = !!image;
    // testcontainers otherwise pulls its reaper and an alpine image to find the host: neither is
    // reachable offline, and we remove our containers ourselves.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  }

  async start(spec: CdnRuntimeSpec): Promise<void> {
    this.spec = spec;
    try {
      this.container = await this.startWith(this.image, spec);
    } catch (e) {
      const err = classifyDockerError(e, this.image, this.out.tail(20));
      if (this.explicit || err.code !== 'NO_DOCKER' || !/not available locally/.test(err.message)) throw err;
      // The public default is unreachable (offline): the image setup built is the same nginx.
      this.out.push(`skew: ${this.image} cannot be pulled here; using ${LOCAL_NGINX_IMAGE}\n`);
      this.image = LOCAL_NGINX_IMAGE;
      try {
        this.container = await this.startWith(this.image, spec);
      } catch (e2) {
        throw classifyDockerError(e2, `${DEFAULT_NGINX_IMAGE} (nor ${LOCAL_NGINX_IMAGE})`, this.out.tail(20));
      }
    }
  }

  private startWith(image: string, spec: CdnRuntimeSpec): Promise<StartedTestContainer> {
    return (
      new GenericContainer(image)
        .withNetworkMode('host')
        .withBindMounts(spec.mounts.map((dir) => ({ source: dir, target: dir, mode: 'rw' as const })))
        .withCommand(['nginx', '-p', spec.prefix, '-c', spec.configFile, '-e', 'stderr'])
        .withLabels({ 'skew.run': spec.runId, 'skew.part': 'cdn' })
        .withName(`skew-cdn-${spec.runId}`)
        .withLogConsumer((stream) => stream.on('data', (d: Buffer | string) => this.out.push(d)))
        // Wait.forHttp does not work with host networking: wait on nginx's own log line.
        .withWaitStrategy(Wait.forLogMessage(/start worker process/))
        .withStartupTimeout(30_000)
        .start()
    );
  }

  async reload(): Promise<void> {
    if (!this.container || !this.spec)
      throw new HarnessError('CDN_FAILED', 'the nginx container is not running', 'see the nginx log lines', { details: this.out.tail(20) });
    const c = this.container;
    // As in the process runtime: done only when every worker is new and none of the old
    // configuration is left. `nginx -s reload` returns once it signalled the master, before the
    // master replaced anything, so the old workers' pids are read first (titles alone would
    // show the old workers as done). Old workers retitle themselves "worker process is shutting
    // down"; read pids and titles from /proc inside the container.
    const workers = async () => {
      const ps = await c.exec(['sh', '-c', 'cd /proc && for p in [0-9]*; do echo "$p $(tr "\\0" " " < "$p/cmdline" 2>/dev/null)"; done']);
      const lines = ps.output.split('\n').filter((l) => l.includes('nginx: worker process'));
      return {
        pids: lines.filter((l) => !l.includes('shutting down')).map((l) => l.split(' ')[0]!),
        draining: lines.some((l) => l.includes('shutting down')),
      };
    };
    const before = new Set((await workers()).pids);
    const r = await c.exec(['nginx', '-p', this.spec.prefix, '-c', this.spec.configFile, '-s', 'reload']);
    if (r.exitCode !== 0)
      throw new HarnessError(
        'CDN_FAILED',
        `nginx -s reload failed in the container (exit ${r.exitCode})`,
        'the generated configuration was rejected',
        { details: r.output.split('\n').slice(-20) },
      );
    await waitFor(
      'nginx in the container to replace its workers after a reload',
      async () => {
        const now = await workers();
        return !now.draining && now.pids.length > 0 && now.pids.every((pid) => !before.has(pid));
      },
      { timeoutMs: 10_000, logs: () => this.out.tail(20) },
    );
  }

  async stop(): Promise<void> {
    const c = this.container;
    this.container = undefined;
    if (c) await c.stop({ remove: true, timeout: 2_000 });
  }

  logs(): string[] {
    return this.out.all();
  }
}

function classifyDockerError(e: unknown, image: string, logs: string[]): HarnessError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Could not find a working container runtime|ENOENT.*docker.sock|connect ECONNREFUSED.*docker/i.test(msg)) {
    return new HarnessError('NO_DOCKER', 'no Docker daemon is reachable', 'run `npm run setup` (starts dockerd), or use `--cdn process`', {
      cause: e,
    });
  }
  if (/pull|not found|No such image|manifest unknown|registry|no such host/i.test(msg)) {
    return new HarnessError(
      'NO_DOCKER',
      `the nginx image ${image} is not available locally and cannot be pulled`,
      'run `npm run setup` to build local/nginx:bookworm, then set SKEW_NGINX_IMAGE=local/nginx:bookworm',
      { cause: e },
    );
  }
  return new HarnessError('CDN_FAILED', `the nginx container did not start: ${msg}`, 'see the nginx log lines', {
    cause: e,
    details: logs,
  });
}
