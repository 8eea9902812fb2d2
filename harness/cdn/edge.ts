import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../io/ports.ts';
import { waitFor } from '../io/wait.ts';
import { CDN_NJS } from './cdn-njs.ts';
import {
  CACHE_DIR,
  NJS_FILE,
  renderEdgeConfig,
  renderRoutes,
  ROUTES_HTTP,
  ROUTES_STATIC,
  type EdgeConfigInput,
  type Routes,
} from './nginx-config.ts';
import { ProcessRuntime } from './process-runtime.ts';
import { purge, listCache, type PurgeOutcome, type PurgeRequest, type CacheEntry } from './purge.ts';
import { NJS_MODULE, type CdnKind, type CdnRuntime } from './runtime.ts';

/** The configurable part of the edge, settable per scenario (`edge` in the scenario). */
export type EdgeRules = Partial<
  Pick<EdgeConfigInput, 'htmlTtl' | 'cacheStatic404' | 'publicTtl' | 'deploymentCookie' | 'staticPrefix' | 'staleIfError'>
>;

export interface EdgeOptions {
  kind: CdnKind;
  /** Directory the edge owns (becomes the nginx prefix). Absolute. */
  dir: string;
  /** Release store the static origin serves from. Absolute. */
  deployRoot: string;
  runId: string;
  /** Cache rules of this edge (defaults: HTML without Cache-Control 10m, no 404s, no public rule). */
  rules?: EdgeRules;
  /** Container image (container runtime only); default from SKEW_NGINX_IMAGE. */
  image?: string;
  /** The single-origin world: the one origin every request goes to, static files included. */
  origin?: number;
}

/** One line of the edge's access log: what the CDN did for each request. */
export interface EdgeLogEntry {
  t: number;
  server: string;
  method: string;
  uri: string;
  status: number;
  cache: string;
  age: string;
  pin: string;
  upstream: string;
  upstreamStatus: string;
  dplHeader: string;
}

/** The CDN edge: nginx (process or container) with cache, routing and purge. */
export class Edge implements AsyncDisposable {
  private generation = 0;
  private constructor(
    readonly url: string,
    readonly port: number,
    private readonly opts: EdgeOptions,
    private readonly runtime: CdnRuntime,
  ) {}

  static async start(opts: EdgeOptions): Promise<Edge> {
    const [edgePort, staticPort] = (await distinctPorts(2)) as [number, number];
    const prefix = opts.dir;
    for (const d of ['logs', 'temp', CACHE_DIR]) await mkdir(join(prefix, d), { recursive: true });
    const configFile = join(prefix, 'nginx.conf');
    await writeFile(join(prefix, NJS_FILE), CDN_NJS);
    await writeFile(
      configFile,
      renderEdgeConfig({
        prefix,
        edgePort,
        staticPort,
        deployRoot: opts.deployRoot,
        njsModule: NJS_MODULE,
        ...opts.rules,
        htmlTtl: opts.rules?.htmlTtl ?? '10m',
        ...(opts.origin ? { origin: opts.origin } : {}),
      }),
    );
    const edgeUrl = `http://127.0.0.1:${edgePort}`;
    // testcontainers (and its Docker client) is heavy to import: load it only when asked for.
    const runtime: CdnRuntime =
      opts.kind === 'container' ? new (await import('./container-runtime.ts')).ContainerRuntime(opts.image) : new ProcessRuntime();
    const edge = new Edge(edgeUrl, edgePort, opts, runtime);
    await edge.writeRoutes({ origins: {}, kept: [] });
    try {
      await runtime.start({ prefix, configFile, mounts: [opts.deployRoot, prefix], runId: opts.runId });
      await waitFor(`the edge to answer on ${edgeUrl}`, async () => (await fetch(`${edgeUrl}/__skew/health`)).ok, {
        timeoutMs: 10_000,
        logs: () => runtime.logs(),
      });
    } catch (e) {
      await runtime.stop().catch(() => {});
      throw e;
    }
    return edge;
  }

  get kind(): CdnKind {
    return this.runtime.kind;
  }

  get cacheDir(): string {
    return join(this.opts.dir, CACHE_DIR);
  }

  /** Points the edge at new origins/releases and waits until nginx serves the new generation. */
  async setRoutes(routes: Omit<Routes, 'generation'>): Promise<void> {
    const gen = await this.writeRoutes(routes);
    await this.runtime.reload();
    await waitFor(
      `the edge to load route generation ${gen}`,
      async () => {
        const r = await fetch(`${this.url}/__skew/generation`);
        return (await r.text()).trim() === String(gen);
      },
      { timeoutMs: 10_000, logs: () => this.runtime.logs() },
    );
  }

  purge(req: PurgeRequest): Promise<PurgeOutcome> {
    return purge(this.cacheDir, req);
  }

  cacheEntries(): Promise<CacheEntry[]> {
    return listCache(this.cacheDir);
  }

  /** Requests the edge served (not the internal static origin), oldest first. */
  async accessLog(): Promise<EdgeLogEntry[]> {
    const text = await readFile(join(this.opts.dir, 'logs', 'access.log'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as EdgeLogEntry)
      .filter((e) => e.server === String(this.port));
  }

  logs(): string[] {
    return this.runtime.logs();
  }

  async stop(): Promise<void> {
    await this.runtime.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private async writeRoutes(routes: Omit<Routes, 'generation'>): Promise<number> {
    const generation = ++this.generation;
    const text = renderRoutes({ ...routes, generation });
    // Write-then-rename: a reload never reads a half-written include.
    for (const [name, body] of [
      [ROUTES_HTTP, text.http],
      [ROUTES_STATIC, text.static],
    ] as const) {
      const file = join(this.opts.dir, name);
      await writeFile(`${file}.tmp`, body);
      await rename(`${file}.tmp`, file);
    }
    return generation;
  }
}

async function distinctPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let i = 0; ports.size < n && i < 20; i++) ports.add(await freePort());
  return [...ports];
}
