import { mkdir, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Edge } from '../cdn/edge.ts';
import type { PurgeRequest } from '../cdn/purge.ts';
import type { History } from '../core/history.ts';
import type { World } from '../core/scenario.ts';
import { HarnessError } from '../errors/harness-error.ts';
import type { Platform } from '../platform/platform.ts';
import type { ReloadHow } from './control-plane.ts';
import { databaseSchema } from './observers/database-schema.ts';
import { switchWatch } from './observers/switch-watch.ts';
import { type LiveOrigin, OriginPool } from './origin-pool.ts';
import { RELEASES, type StoreState } from './release-store.ts';
import type { StackOptions } from './stack-options.ts';
import { worldModuleOf } from './worlds/registry.ts';
import type { ReleaseServers, RunningWorld, WorldHost, WorldModule, WorldObserver } from './worlds/world.ts';

export type { LiveOrigin } from './origin-pool.ts';

const require = createRequire(import.meta.url);

export type { StackOptions } from './stack-options.ts';

/** When a purge reaches a location: at once, after a delay, or not at all (purge faults). */
export type PurgeReach = 'now' | { delayMs: number } | 'never';

/** Evidence sources every world has: the switch of `current`, the database's schema. */
const COMMON_OBSERVERS: WorldObserver[] = [switchWatch, databaseSchema];

/**
 * What a deployment platform looks like from the browser: a release store on disk, the world's
 * servers (worlds/: pinned, single-origin, rolling, the platform side) and the nginx edge
 * locations in front. Deployers change the store; `reconcile()` then lets the world play the
 * process manager (like `pm2 reload`), and the edges route to the result. The stack holds the
 * edges and purges; whatever differs between worlds is the world's.
 */
export class Stack implements AsyncDisposable {
  private readonly origins: OriginPool;
  /** Where the stack records what it did; replaced by `reset`. */
  private history: History | undefined;
  private world$!: RunningWorld;

  /** How a purge reaches each location (a purge fault changes it); default: everywhere at once. */
  purgeReach: (location: string) => PurgeReach = () => 'now';
  private readonly latePurges = new Set<{ timer: NodeJS.Timeout; apply: () => Promise<void> }>();

  private constructor(
    readonly deployRoot: string,
    private readonly edges: Map<string, Edge>,
    private readonly opts: StackOptions,
  ) {
    this.history = opts.history;
    this.origins = new OriginPool({ runId: opts.runId, deployRoot, faultLayer: !!opts.faultLayer });
  }

  /** Starts a stack in the world the options name, or in `module` (a world not in the registry: a plug-in, a test's own). */
  static async start(opts: StackOptions, module: WorldModule = worldModuleOf(opts)): Promise<Stack> {
    module.validate?.(opts);
    const deployRoot = join(opts.dir, 'deploy');
    await mkdir(join(deployRoot, RELEASES), { recursive: true });
    // Releases are copies of builds; their server code resolves next/react from here.
    const nodeModules = dirname(dirname(require.resolve('next/package.json')));
    await symlink(nodeModules, join(opts.dir, 'node_modules')).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    const edges = new Map<string, Edge>();
    const stack = new Stack(deployRoot, edges, opts);
    const world = await module.start(stack.host());
    stack.world$ = world;
    const names = opts.locations?.length ? opts.locations : ['edge'];
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
            ...(world.upstream !== undefined ? { origin: world.upstream } : {}),
          }),
        );
      }
      // A CDN in front of one server: every location sends everything to it.
      if (world.upstream !== undefined) await stack.setRoutes({ upstream: world.upstream, origins: {}, kept: [] });
    } catch (e) {
      await Promise.allSettled([...[...edges.values()].map((x) => x.stop()), world.stop()]);
      throw e;
    }
    return stack;
  }

  /** What the world may use of the stack. */
  private host(): WorldHost {
    return {
      dir: this.opts.dir,
      deployRoot: this.deployRoot,
      opts: this.opts,
      origins: this.origins,
      history: () => this.history,
      setRoutes: (routes) => this.setRoutes(routes),
      recordStack: (state) => this.recordStack(state),
    };
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

  /** The skew-protection platform, when the world is its side. */
  get platform(): Platform | undefined {
    return this.world$.platform;
  }

  /** Evidence sources around each deployer action: every world's, then this world's own. */
  get observers(): WorldObserver[] {
    return [...COMMON_OBSERVERS, ...this.world$.observers];
  }

  /** Whether a deployer starts and stops release servers itself (single-origin, rolling). */
  get startsReleases(): boolean {
    return this.world$.startsReleases;
  }

  /** Told of each origin started from now on, before the edge routes to it (faults on "the new release"). */
  get originStarted(): Set<(o: LiveOrigin) => void | Promise<void>> {
    return this.origins.started;
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

  /** The deployment new visitors get: the world's current, if one does. */
  get current(): string | undefined {
    return this.world$.current;
  }

  /** Servers by name, with their URLs (for reports and `--keep`). */
  originUrls(): Record<string, string> {
    return this.world$.originUrls();
  }

  /** The process manager after the deployer changed the store (`pm2 reload`, a rollout). */
  reconcile(how: ReloadHow = {}): Promise<StoreState> {
    return this.world$.reconcile(how);
  }

  /**
   * The process manager's `pm2 start` for a release that is not current, on its own port, running
   * until `stopRelease` (a deployer's own skew protection routes an old tab's requests there).
   */
  startRelease(id: string): Promise<number> {
    return this.world$.startRelease(id);
  }

  /**
   * The rolling world: `hold` runs once, when the next rollout first has pods of both builds
   * behind the Service, and the rollout goes on when it returns. False in worlds that switch at once.
   */
  holdRollout(hold: (() => Promise<void>) | undefined): boolean {
    return this.world$.holdRollout(hold);
  }

  /** `pm2 delete` of a release server the deployer started (current's keeps running). */
  stopRelease(id: string): Promise<void> {
    return this.world$.stopRelease(id);
  }

  /** The servers that run, with their ports; `current` is the one unpinned requests go to. */
  releaseServers(): ReleaseServers {
    return this.world$.releaseServers();
  }

  /** What runs now, in the history: current, the live servers, the kept releases. */
  private recordStack(state: StoreState): void {
    this.history?.append({
      type: 'stack',
      ...(state.current ? { current: state.current } : {}),
      live: this.origins.ids(),
      kept: state.releases,
    });
  }

  private async setRoutes(routes: Parameters<Edge['setRoutes']>[0]): Promise<void> {
    await Promise.all([...this.edges.values()].map((e) => e.setRoutes(routes)));
  }

  /** Origins that run now, with their fault layers (only with `faultLayer`). */
  liveOrigins(): LiveOrigin[] {
    return this.origins.live();
  }

  /** What a process manager does after a crash: a new process for the release, same route. */
  restartOrigin(id: string): Promise<void> {
    return this.origins.restart(id);
  }

  /**
   * Back to an empty stack without restarting the edge (a stack shared by the tests of a
   * worker): origins stopped, release store and database gone, the world back to empty, every
   * cached object purged. What happens next is recorded into `history`.
   */
  async reset(history: History | undefined): Promise<void> {
    await this.origins.stopAll();
    this.origins.started.clear();
    await rm(this.deployRoot, { recursive: true, force: true });
    await mkdir(join(this.deployRoot, RELEASES), { recursive: true });
    for (const p of this.latePurges) clearTimeout(p.timer);
    this.latePurges.clear();
    this.purgeReach = () => 'now';
    await this.world$.reset();
    for (const e of this.edges.values()) await e.purge({ everything: true });
    this.history = history;
  }

  /** Last log lines of each part, for the run's evidence. */
  logs(): Record<string, string[]> {
    const edges = Object.fromEntries([...this.edges].map(([name, e], i) => [i === 0 ? 'edge' : `edge-${name}`, e.logs()]));
    return { ...edges, ...this.world$.logs(), ...this.origins.logs() };
  }

  async stop(): Promise<void> {
    for (const p of this.latePurges) clearTimeout(p.timer);
    this.latePurges.clear();
    const [origins, rest] = await Promise.all([
      this.origins.stopAll(),
      Promise.allSettled([this.world$.stop(), ...[...this.edges.values()].map((e) => e.stop())]),
    ]);
    const results = [...origins, ...rest];
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
