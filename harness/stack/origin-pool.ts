import { join } from 'node:path';
import { HarnessError } from '../errors/harness-error.ts';
import { FaultLayer } from './fault-layer.ts';
import { Origin } from './origin.ts';
import { DATABASE } from './release-store.ts';

/** A live origin as origin faults see it. */
export interface LiveOrigin {
  deploymentId: string;
  origin: Origin;
  layer: FaultLayer;
}

/**
 * The `next start` servers a world runs, one per deployment id, each behind its own fault layer
 * when the run injects origin faults. Worlds decide which run; the pool starts, stops and
 * restarts them and says which port the edge (or the origin nginx) routes each one to.
 */
export class OriginPool {
  private readonly origins = new Map<string, Origin>();
  private readonly layers = new Map<string, FaultLayer>();
  /** Told of each origin started from now on, before anything routes to it (faults on "the new release"). */
  readonly started = new Set<(o: LiveOrigin) => void | Promise<void>>();

  constructor(private readonly opts: { runId: string; deployRoot: string; faultLayer: boolean }) {}

  has(id: string): boolean {
    return this.origins.has(id);
  }

  ids(): string[] {
    return [...this.origins.keys()];
  }

  /** Starts an origin for each id (all at once); the first failure is thrown once all settled. */
  async start(ids: string[], dirOf: (id: string) => string): Promise<void> {
    const started = await Promise.allSettled(ids.map((id) => this.startOne(id, dirOf(id))));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async startOne(id: string, dir: string): Promise<void> {
    const origin = await Origin.start(dir, id, this.opts.runId, { DATABASE_PATH: join(this.opts.deployRoot, DATABASE) });
    this.origins.set(id, origin);
    if (!this.opts.faultLayer) return;
    const layer = await FaultLayer.start(origin.port);
    this.layers.set(id, layer);
    for (const f of this.started) await f({ deploymentId: id, origin, layer });
  }

  async stop(id: string): Promise<void> {
    const o = this.origins.get(id);
    const layer = this.layers.get(id);
    this.origins.delete(id);
    this.layers.delete(id);
    await Promise.all([o?.stop(), layer?.stop()]);
  }

  /** Stops every origin; the settled results, for a caller that reports the first failure. */
  stopAll(): Promise<PromiseSettledResult<void>[]> {
    return Promise.allSettled(this.ids().map((id) => this.stop(id)));
  }

  /** The port each deployment is routed to: its fault layer when there is one. */
  routedPorts(): Record<string, number> {
    return Object.fromEntries([...this.origins].map(([id, o]) => [id, this.layers.get(id)?.port ?? o.port]));
  }

  urls(): Record<string, string> {
    return Object.fromEntries([...this.origins].map(([id, o]) => [id, o.url]));
  }

  /** Origins that run now, with their fault layers (only with `faultLayer`). */
  live(): LiveOrigin[] {
    return [...this.origins].flatMap(([deploymentId, origin]) => {
      const layer = this.layers.get(deploymentId);
      return layer ? [{ deploymentId, origin, layer }] : [];
    });
  }

  /** What a process manager does after a crash: a new process for the release, same route. */
  async restart(id: string): Promise<void> {
    const old = this.origins.get(id);
    const layer = this.layers.get(id);
    if (!old || !layer)
      throw new HarnessError(
        'ORIGIN_FAILED',
        `no origin ${id} behind a fault layer to restart`,
        'the release was stopped meanwhile (its deployer removed it), or the run started no fault layer',
      );
    await old.stop();
    const origin = await Origin.start(old.dir, id, this.opts.runId, { DATABASE_PATH: join(this.opts.deployRoot, DATABASE) });
    this.origins.set(id, origin);
    layer.retarget(origin.port);
  }

  logs(): Record<string, string[]> {
    return Object.fromEntries([...this.origins].map(([id, o]) => [`origin-${id}`, o.logs()]));
  }
}
