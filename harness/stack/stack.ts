import { HarnessError } from '../errors/harness-error.ts';
import { cp, mkdir, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Edge, type EdgeRules } from '../cdn/edge.ts';
import type { PurgeRequest } from '../cdn/purge.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import type { History } from '../core/history.ts';
import type { World } from '../core/scenario.ts';
import { Platform } from '../platform/platform.ts';
import { seedNeighbour } from '../platform/bucket.ts';
import { BUCKET } from '../cdn/nginx-config.ts';
import { Origin } from './origin.ts';
import { FaultLayer } from './fault-layer.ts';
import { NGINX_HTTP_DIR, NGINX_SERVER_DIR, OriginNginx } from './origin-nginx.ts';
import { DATABASE, readStore, RELEASES, type StoreState } from './release-store.ts';
import { RollingWorld } from './rolling-world.ts';
import type { ReloadHow } from './control-plane.ts';
import { DEFAULT_ROLLOUT, type RolloutStrategy } from '../core/rollout-strategy.ts';

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
  /**
   * Edge locations (PoPs), each its own nginx with its own cache, all routing to the same
   * origins; the first is the one `url` names. Default one location, `edge`.
   */
  locations?: string[];
  /**
   * `pinned` (default): one origin per kept release, the edge routes pinned requests to theirs.
   * `single-origin`: one app server for `current` behind the origin nginx (OriginNginx), which
   * every edge sends every request to; a reload starts the new server before it stops the old.
   * `rolling`: a Kubernetes Deployment's pods behind one round-robin Service (RollingWorld).
   */
  world?: World;
  /** The rolling world's Deployment strategy (replicas, maxSurge, maxUnavailable). */
  rollout?: RolloutStrategy;
  /** The run's progress log: what the stack changed of the deployer's own (its nginx includes). */
  log?: (line: string) => void;
}

/** When a purge reaches a location: at once, after a delay, or not at all (purge faults). */
export type PurgeReach = 'now' | { delayMs: number } | 'never';

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

  /** The rolling world's Deployment: pods, the Service, rollouts. */
  private readonly rolling: RollingWorld | undefined;

  /** single-origin: releases the deployer asked the process manager to run besides current (`startRelease`). */
  private readonly started = new Set<string>();

  /** How a purge reaches each location (a purge fault changes it); default: everywhere at once. */
  purgeReach: (location: string) => PurgeReach = () => 'now';
  private readonly latePurges = new Set<{ timer: NodeJS.Timeout; apply: () => Promise<void> }>();

  private constructor(
    readonly deployRoot: string,
    private readonly edges: Map<string, Edge>,
    private readonly opts: StackOptions,
    /** The single-origin world's web server in front of the one app server; the rolling world's ingress. */
    readonly originNginx?: OriginNginx,
  ) {
    this.history = opts.history;
    this.rolling =
      originNginx && opts.world === 'rolling'
        ? new RollingWorld(
            originNginx,
            opts.rollout ?? DEFAULT_ROLLOUT,
            (id) => Origin.start(join(this.deployRoot, RELEASES, id), id, opts.runId, { DATABASE_PATH: join(this.deployRoot, DATABASE) }),
            (e) => this.history?.append(e),
          )
        : undefined;
    const images = opts.platform?.images;
    this.platform = images && new Platform(opts.platform!.app, () => Object.keys(images));
  }

  static async start(opts: StackOptions): Promise<Stack> {
    if (opts.world && opts.world !== 'pinned' && opts.platform)
      throw new HarnessError(
        'INVALID_SCENARIO',
        'the platform (revisions behind a traffic split) is the pinned world',
        'run platform scenarios in the pinned world',
      );
    if (opts.world === 'rolling' && opts.faultLayer)
      throw new HarnessError(
        'INVALID_SCENARIO',
        'origin faults act on one server per release; the rolling world runs several pods of each',
        'run scenarios that inject origin faults in the pinned or single-origin world',
      );
    const deployRoot = join(opts.dir, 'deploy');
    await mkdir(join(deployRoot, RELEASES), { recursive: true });
    // Releases are copies of builds; their server code resolves next/react from here.
    const nodeModules = dirname(dirname(require.resolve('next/package.json')));
    await symlink(nodeModules, join(opts.dir, 'node_modules')).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    const names = opts.locations?.length ? opts.locations : ['edge'];
    const edges = new Map<string, Edge>();
    const originNginx =
      opts.world === 'single-origin' || opts.world === 'rolling'
        ? await OriginNginx.start({
            dir: join(opts.dir, 'origin'),
            deployRoot,
            runId: opts.runId,
            mode: opts.world,
            ...(opts.log ? { log: opts.log } : {}),
            ...(opts.edge?.staticPrefix ? { staticPrefix: opts.edge.staticPrefix } : {}),
          })
        : undefined;
    try {
      for (const name of names) {
        // The first location keeps the single-edge layout (cdn/); others live under cdn/locations/<name>/.
        const dir = join(opts.dir, 'cdn', ...(name === names[0] ? [] : ['locations', name]));
        edges.set(
          name,
          await Edge.start({
            kind: opts.cdn,
            dir,
            deployRoot,
            runId: `${opts.runId}-${name}`,
            image: opts.image,
            ...(opts.edge ? { rules: opts.edge } : {}),
            ...(originNginx ? { origin: originNginx.port } : {}),
          }),
        );
      }
      // A CDN in front of one server: every location sends everything to it.
      if (originNginx)
        await Promise.all([...edges.values()].map((e) => e.setRoutes({ upstream: originNginx.port, origins: {}, kept: [] })));
    } catch (e) {
      await Promise.allSettled([...[...edges.values()].map((x) => x.stop()), originNginx?.stop()]);
      throw e;
    }
    if (opts.platform) await seedNeighbour(join(deployRoot, BUCKET));
    return new Stack(deployRoot, edges, opts, originNginx);
  }

  /** The first edge location: what `url` names and single-location runs use. */
  get edge(): Edge {
    return this.edges.values().next().value!;
  }

  get url(): string {
    return this.edge.url;
  }

  /** The world this stack is built as. */
  get world(): World {
    return this.opts.world ?? 'pinned';
  }

  /** Location names, the first one first. */
  get locations(): string[] {
    return [...this.edges.keys()];
  }

  /** The edge of one location (unknown names are a scenario mistake, named). */
  edgeAt(location: string | undefined): Edge {
    if (location === undefined) return this.edge;
    const e = this.edges.get(location);
    if (!e)
      throw new HarnessError(
        'INVALID_SCENARIO',
        `no edge location "${location}" (the scenario's locations: ${this.locations.join(', ')})`,
        "name a location from the scenario's `locations`, or leave it out for the first",
      );
    return e;
  }

  /**
   * A purge as a CDN spreads it: each location evicts at once, later, or never, as `purgeReach`
   * says. Returns what was evicted at once, with each location's reach for the record.
   */
  async purge(req: PurgeRequest): Promise<{ evicted: string[]; reach?: string }> {
    const evicted = new Set<string>();
    const reach: string[] = [];
    for (const [name, edge] of this.edges) {
      const r = this.purgeReach(name);
      if (r === 'now') {
        for (const k of (await edge.purge(req)).evicted) evicted.add(k);
        reach.push(`${name} now`);
      } else if (r === 'never') {
        reach.push(`${name} never`);
      } else {
        const apply = async () =>
          void (await edge.purge(req).then(
            (x) =>
              this.history?.append({
                type: 'purge',
                by: 'edge',
                via: 'direct',
                request: req,
                evicted: x.evicted,
                status: 200,
                note: `reached ${name} ${r.delayMs} ms late`,
              }),
            () => {},
          ));
        const late = {
          timer: setTimeout(() => {
            this.latePurges.delete(late);
            void apply();
          }, r.delayMs),
          apply,
        };
        this.latePurges.add(late);
        reach.push(`${name} after ${r.delayMs} ms`);
      }
    }
    return { evicted: [...evicted].sort(), ...(this.edges.size > 1 ? { reach: reach.join(', ') } : {}) };
  }

  /** Purges still on their way to a location land now (a healed purge fault, the end of a run). */
  async flushLatePurges(): Promise<void> {
    const pending = [...this.latePurges];
    this.latePurges.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      await p.apply();
    }
  }

  /** The deployment new visitors get: `current`, or the one revision at 100 % (none while a rollout mixes two). */
  get current(): string | undefined {
    if (this.rolling) return this.rolling.current;
    if (!this.platform) return this.state.current;
    const split = this.platform.split();
    return split.length === 1 ? split[0]!.deploymentId : undefined;
  }

  /** Origins by deployment id, with their URLs (for reports and `--keep`). */
  originUrls(): Record<string, string> {
    if (this.rolling) return this.rolling.podUrls();
    return Object.fromEntries([...this.origins].map(([id, o]) => [id, o.url]));
  }

  async reconcile(how: ReloadHow = {}): Promise<StoreState> {
    if (how.restart && this.world !== 'single-origin')
      throw new HarnessError(
        'INVALID_SCENARIO',
        `a restart (POST $SKEW_RELOAD_URL?mode=restart, pm2 restart) is the single-origin world's; this run is in ${this.world}`,
        'reload with a plain POST $SKEW_RELOAD_URL',
      );
    if (this.platform) return this.reconcilePlatform(this.platform);
    if (this.rolling) {
      const state = await readStore(this.deployRoot);
      await this.rolling.reconcile(state);
      this.state = state;
      return state;
    }
    if (this.originNginx) return this.reconcileSingleOrigin(this.originNginx, how);
    const state = await readStore(this.deployRoot);
    const wanted = new Set(state.releases);
    await Promise.all([...this.origins].filter(([id]) => !wanted.has(id)).map(([id]) => this.stopOrigin(id)));
    const starting = state.releases.filter((id) => !this.origins.has(id));
    await this.startOrigins(starting, (id) => join(this.deployRoot, RELEASES, id));
    await this.setRoutes({
      ...(state.current ? { current: state.current } : {}),
      origins: this.routedPorts(),
      kept: state.releases,
    });
    this.state = state;
    this.recordStack(state);
    return state;
  }

  /**
   * The single-origin world's process manager, as `pm2 reload` does it: when `current` changed,
   * start its server, wait until it answers, point the origin nginx at it (`nginx -t` first, with
   * the deployer's includes), and only then stop the previous one. A release that is not current
   * keeps its files and gets no server. A restart (`pm2 restart`) stops the previous server
   * first: until the new one listens, the origin nginx has nothing to send requests to (502).
   */
  private async reconcileSingleOrigin(origin: OriginNginx, how: ReloadHow): Promise<StoreState> {
    const state = await readStore(this.deployRoot);
    const current = state.current;
    const started = current && !this.origins.has(current) ? current : undefined;
    // Servers the deployer started itself keep running until it stops them (pm2 start/delete).
    const replaced = () => [...this.origins.keys()].filter((id) => id !== current && !this.started.has(id));
    if (how.restart && started) await Promise.all(replaced().map((id) => this.stopOrigin(id)));
    if (started) await this.startOrigins([started], (id) => join(this.deployRoot, RELEASES, id));
    try {
      await origin.route({
        ...(current ? { app: this.routedPorts()[current]! } : {}),
        kept: state.releases,
        servers: Object.values(this.routedPorts()),
      });
    } catch (e) {
      // The new configuration was refused: the old server keeps serving, the new one goes.
      if (started) await this.stopOrigin(started);
      throw e;
    }
    await Promise.all(replaced().map((id) => this.stopOrigin(id)));
    this.state = state;
    this.recordStack(state);
    return state;
  }

  /**
   * single-origin: the process manager's `pm2 start` for a release that is not current, on its own
   * port, running until `stopRelease` (a deployer's own skew protection: its nginx routes an old
   * tab's requests there). Returns the port to route to.
   */
  async startRelease(id: string): Promise<number> {
    if (!this.originNginx)
      throw new HarnessError(
        'INVALID_SCENARIO',
        'starting a release server is for the single-origin and rolling worlds',
        'in pinned, every kept release runs',
      );
    const state = await readStore(this.deployRoot);
    if (!state.releases.includes(id))
      throw new HarnessError(
        'DEPLOYER_FAILED',
        `no release ${id} to start`,
        `install it under ${join(this.deployRoot, RELEASES, id)} first`,
      );
    if (this.rolling) return this.rolling.keep(id, state);
    if (!this.origins.has(id)) await this.startOrigins([id], (x) => join(this.deployRoot, RELEASES, x));
    this.started.add(id);
    this.recordStack(this.state);
    return this.routedPorts()[id]!;
  }

  /**
   * The rolling world: `hold` runs once, when the next rollout first has pods of both builds
   * behind the Service, and the rollout goes on when it returns (`kubectl rollout pause` until
   * the scenario's steps in between are done). Undefined clears it. False in other worlds,
   * which switch at once.
   */
  holdRollout(hold: (() => Promise<void>) | undefined): boolean {
    if (!this.rolling) return false;
    this.rolling.onMixed = hold;
    return true;
  }

  /** single-origin: `pm2 delete` of a release server the deployer started (current's keeps running). */
  async stopRelease(id: string): Promise<void> {
    if (this.rolling) return this.rolling.release(id, await readStore(this.deployRoot));
    this.started.delete(id);
    if (id !== this.state.current && this.origins.has(id)) await this.stopOrigin(id);
    this.recordStack(this.state);
  }

  /** single-origin: the servers that run, with their ports; `current` is the one the origin nginx defaults to. */
  releaseServers(): { current?: string; servers: { id: string; port: number }[] } {
    if (this.rolling) return this.rolling.servers();
    const ports = this.routedPorts();
    return {
      ...(this.state.current ? { current: this.state.current } : {}),
      servers: Object.entries(ports).map(([id, port]) => ({ id, port })),
    };
  }

  /** What runs now, in the history: current, the live servers, the kept releases. */
  private recordStack(state: StoreState): void {
    this.history?.append({
      type: 'stack',
      ...(state.current ? { current: state.current } : {}),
      live: [...this.origins.keys()],
      kept: state.releases,
    });
  }

  /** Platform mode: an origin per revision's deployment, routes from the traffic table. */
  private async reconcilePlatform(platform: Platform): Promise<StoreState> {
    const wanted = [...new Set(platform.revisions.map((r) => r.deploymentId))];
    const starting = wanted.filter((id) => !this.origins.has(id));
    const images = join(this.opts.dir, 'platform', 'images');
    for (const id of starting) {
      // "Pulling the image": a private copy of the build, so the build stays read-only.
      const dir = join(images, id);
      if (!existsSync(dir))
        await cp(this.opts.platform!.images[id]!, dir, { recursive: true, filter: (src) => !src.includes('/.next/cache') });
    }
    await this.startOrigins(starting, (id) => join(images, id));
    const split = platform.split();
    await this.setRoutes({ origins: this.routedPorts(), kept: [], split });
    this.state = { releases: wanted };
    this.history?.append({ type: 'stack', live: [...this.origins.keys()], kept: [], split: platform.currentTraffic });
    return this.state;
  }

  private async setRoutes(routes: Parameters<Edge['setRoutes']>[0]): Promise<void> {
    await Promise.all([...this.edges.values()].map((e) => e.setRoutes(routes)));
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
    if (!old || !layer)
      throw new HarnessError(
        'ORIGIN_FAILED',
        `no origin ${id} behind a fault layer to restart`,
        'the release was stopped meanwhile (its deployer removed it), or the run started no fault layer',
      );
    await old.stop();
    const origin = await Origin.start(old.dir, id, this.opts.runId, { DATABASE_PATH: join(this.deployRoot, DATABASE) });
    this.origins.set(id, origin);
    layer.retarget(origin.port);
  }

  /**
   * Back to an empty stack without restarting the edge (a stack shared by the tests of a
   * worker): origins stopped, release store, platform copies and database gone, every cached
   * object purged, routes empty. What happens next is recorded into `history`.
   */
  async reset(history: History | undefined): Promise<void> {
    await Promise.allSettled([...this.origins.keys()].map((id) => this.stopOrigin(id)));
    await this.rolling?.stop();
    this.originStarted.clear();
    this.started.clear();
    await rm(this.deployRoot, { recursive: true, force: true });
    await rm(join(this.opts.dir, 'platform'), { recursive: true, force: true });
    await mkdir(join(this.deployRoot, RELEASES), { recursive: true });
    this.platform?.reset();
    if (this.platform) await seedNeighbour(join(this.deployRoot, BUCKET));
    for (const p of this.latePurges) clearTimeout(p.timer);
    this.latePurges.clear();
    this.purgeReach = () => 'now';
    if (this.originNginx) {
      await mkdir(join(this.deployRoot, NGINX_HTTP_DIR), { recursive: true });
      await mkdir(join(this.deployRoot, NGINX_SERVER_DIR), { recursive: true });
      await this.originNginx.route({ kept: [] });
    } else await this.setRoutes({ origins: {}, kept: [] });
    for (const e of this.edges.values()) await e.purge({ everything: true });
    this.state = { releases: [] };
    this.history = history;
  }

  /** Last log lines of each part, for the run's evidence. */
  logs(): Record<string, string[]> {
    const edges = Object.fromEntries([...this.edges].map(([name, e], i) => [i === 0 ? 'edge' : `edge-${name}`, e.logs()]));
    return {
      ...edges,
      ...(this.originNginx ? { [this.rolling ? 'ingress' : 'origin-nginx']: this.originNginx.logs() } : {}),
      ...this.rolling?.logs(),
      ...Object.fromEntries([...this.origins].map(([id, o]) => [`origin-${id}`, o.logs()])),
    };
  }

  async stop(): Promise<void> {
    for (const p of this.latePurges) clearTimeout(p.timer);
    this.latePurges.clear();
    const results = await Promise.allSettled([
      ...[...this.origins.keys()].map((id) => this.stopOrigin(id)),
      this.rolling?.stop(),
      ...[...this.edges.values()].map((e) => e.stop()),
      this.originNginx?.stop(),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
