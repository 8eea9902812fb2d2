import { cp, mkdir, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Edge, type EdgeRules } from '../cdn/edge.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import type { History } from '../core/history.ts';
import { Platform } from '../platform/platform.ts';
import { Origin } from './origin.ts';
import { FaultLayer } from './fault-layer.ts';
import { DATABASE, readStore, RELEASES, type StoreState } from './release-store.ts';

const require = createRequire(import.meta.url);

export interface StackOptions {
  /** A directory the stack owns for this run (absolute). */
  dir: string;
  cdn: CdnKind;
  runId: string;
  history?: History;
  image?: string;
  edge?: EdgeRules;
  /**
   * The skew-protection platform instead of a release store: revisions (one origin each, run
   * from the build of their deployment id, like an image) behind a traffic split, static files
   * from the object store under the deploy root (`bucket/<app>/_next/static/`).
   */
  platform?: { app: string; images: Record<string, string> };
  /**
   * Put a fault layer (harness/stack/fault-layer.ts) between the edge and each origin, so that
   * origin faults can refuse, delay, reset or cut connections. Off: the edge talks to origins directly.
   */
  faultLayer?: boolean;
}

/** A live origin as origin faults see it. */
export interface LiveOrigin {
  deploymentId: string;
  origin: Origin;
  layer: FaultLayer;
}

/**
 * What a deployment platform looks like from the browser: a release store on disk, one Next
 * origin per release on its own port, and the nginx edge in front. Deployers change the store;
 * `reconcile()` then plays the process manager (like `pm2 reload`): start an origin for each
 * new release, stop those whose release is gone, and point the edge at the result.
 */
export class Stack implements AsyncDisposable {
  private readonly origins = new Map<string, Origin>();
  private readonly layers = new Map<string, FaultLayer>();
  /** Told of each origin started from now on, before the edge routes to it (faults on "the new release"). */
  readonly originStarted = new Set<(o: LiveOrigin) => void | Promise<void>>();
  private state: StoreState = { releases: [] };
  readonly platform: Platform | undefined;
  /** Where the stack records what it did; replaced by `reset`. */
  private history: History | undefined;

  private constructor(readonly deployRoot: string, readonly edge: Edge, private readonly opts: StackOptions) {
    this.history = opts.history;
    const images = opts.platform?.images;
    this.platform = images && new Platform(opts.platform!.app, () => Object.keys(images));
  }

  static async start(opts: StackOptions): Promise<Stack> {
    const deployRoot = join(opts.dir, 'deploy');
    await mkdir(join(deployRoot, RELEASES), { recursive: true });
    // Releases are copies of builds; their server code resolves next/react from here.
    const nodeModules = dirname(dirname(require.resolve('next/package.json')));
    await symlink(nodeModules, join(opts.dir, 'node_modules')).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    const edge = await Edge.start({ kind: opts.cdn, dir: join(opts.dir, 'cdn'), deployRoot, runId: opts.runId, image: opts.image, ...(opts.edge ? { rules: opts.edge } : {}) });
    return new Stack(deployRoot, edge, opts);
  }

  get url(): string {
    return this.edge.url;
  }

  /** The deployment new visitors get: `current`, or the one revision at 100 %. */
  get current(): string | undefined {
    if (!this.platform) return this.state.current;
    const split = this.platform.split();
    return split.length === 1 ? split[0]!.deploymentId : undefined;
  }

  /** Origins by deployment id, with their URLs (for reports and `--keep`). */
  originUrls(): Record<string, string> {
    return Object.fromEntries([...this.origins].map(([id, o]) => [id, o.url]));
  }

  async reconcile(): Promise<StoreState> {
    if (this.platform) return this.reconcilePlatform(this.platform);
    const state = await readStore(this.deployRoot);
    const wanted = new Set(state.releases);
    await Promise.all([...this.origins].filter(([id]) => !wanted.has(id)).map(([id]) => this.stopOrigin(id)));
    const starting = state.releases.filter((id) => !this.origins.has(id));
    await this.startOrigins(starting, (id) => join(this.deployRoot, RELEASES, id));
    await this.edge.setRoutes({
      ...(state.current ? { current: state.current } : {}),
      origins: this.routedPorts(),
      kept: state.releases,
    });
    this.state = state;
    this.history?.append({ type: 'stack', ...(state.current ? { current: state.current } : {}), live: [...this.origins.keys()], kept: state.releases });
    return state;
  }

  /** Platform mode: an origin per revision's deployment, routes from the traffic table. */
  private async reconcilePlatform(platform: Platform): Promise<StoreState> {
    const wanted = [...new Set(platform.revisions.map((r) => r.deploymentId))];
    const starting = wanted.filter((id) => !this.origins.has(id));
    const images = join(this.opts.dir, 'platform', 'images');
    for (const id of starting) {
      // "Pulling the image": a private copy of the build, so the build stays read-only.
      const dir = join(images, id);
      if (!existsSync(dir)) await cp(this.opts.platform!.images[id]!, dir, { recursive: true, filter: (src) => !src.includes('/.next/cache') });
    }
    await this.startOrigins(starting, (id) => join(images, id));
    const split = platform.split();
    await this.edge.setRoutes({ origins: this.routedPorts(), kept: [], split });
    this.state = { releases: wanted };
    this.history?.append({ type: 'stack', live: [...this.origins.keys()], kept: [], split: platform.currentTraffic });
    return this.state;
  }

  private async startOrigins(ids: string[], dirOf: (id: string) => string): Promise<void> {
    const started = await Promise.allSettled(ids.map((id) => this.startOrigin(id, dirOf(id))));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async startOrigin(id: string, dir: string): Promise<void> {
    const origin = await Origin.start(dir, id, this.opts.runId, { DATABASE_PATH: join(this.deployRoot, DATABASE) });
    this.origins.set(id, origin);
    if (!this.opts.faultLayer) return;
    const layer = await FaultLayer.start(origin.port);
    this.layers.set(id, layer);
    for (const f of this.originStarted) await f({ deploymentId: id, origin, layer });
  }

  private async stopOrigin(id: string): Promise<void> {
    const o = this.origins.get(id);
    const layer = this.layers.get(id);
    this.origins.delete(id);
    this.layers.delete(id);
    await Promise.all([o?.stop(), layer?.stop()]);
  }

  /** The port the edge routes each deployment to: its fault layer when there is one. */
  private routedPorts(): Record<string, number> {
    return Object.fromEntries([...this.origins].map(([id, o]) => [id, this.layers.get(id)?.port ?? o.port]));
  }

  /** Origins that run now, with their fault layers (only with `faultLayer`). */
  liveOrigins(): LiveOrigin[] {
    return [...this.origins].flatMap(([deploymentId, origin]) => {
      const layer = this.layers.get(deploymentId);
      return layer ? [{ deploymentId, origin, layer }] : [];
    });
  }

  /** What a process manager does after a crash: a new process for the release, same route. */
  async restartOrigin(id: string): Promise<void> {
    const old = this.origins.get(id);
    const layer = this.layers.get(id);
    if (!old || !layer) throw new Error(`no origin ${id} behind a fault layer to restart`);
    await old.stop();
    const origin = await Origin.start(old.dir, id, this.opts.runId, { DATABASE_PATH: join(this.deployRoot, DATABASE) });
    this.origins.set(id, origin);
    layer.retarget(origin.port);
  }

  get hasFaultLayer(): boolean {
    return this.opts.faultLayer === true;
  }

  /**
   * Back to an empty stack without restarting the edge (a stack shared by the tests of a
   * worker): origins stopped, release store, platform copies and database gone, every cached
   * object purged, routes empty. What happens next is recorded into `history`.
   */
  async reset(history: History | undefined): Promise<void> {
    await Promise.allSettled([...this.origins.keys()].map((id) => this.stopOrigin(id)));
    this.originStarted.clear();
    await rm(this.deployRoot, { recursive: true, force: true });
    await rm(join(this.opts.dir, 'platform'), { recursive: true, force: true });
    await mkdir(join(this.deployRoot, RELEASES), { recursive: true });
    this.platform?.reset();
    await this.edge.setRoutes({ origins: {}, kept: [] });
    await this.edge.purge({ everything: true });
    this.state = { releases: [] };
    this.history = history;
  }

  /** Last log lines of each part, for the run's evidence. */
  logs(): Record<string, string[]> {
    return { edge: this.edge.logs(), ...Object.fromEntries([...this.origins].map(([id, o]) => [`origin-${id}`, o.logs()])) };
  }

  async stop(): Promise<void> {
    const results = await Promise.allSettled([...[...this.origins.keys()].map((id) => this.stopOrigin(id)), this.edge.stop()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
