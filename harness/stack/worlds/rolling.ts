import { join } from 'node:path';
import { HarnessError } from '../../errors/harness-error.ts';
import { DEFAULT_ROLLOUT } from '../../core/rollout-strategy.ts';
import type { ReloadHow } from '../control-plane.ts';
import { Origin } from '../origin.ts';
import type { OriginNginx } from '../origin-nginx.ts';
import { DATABASE, RELEASES, type StoreState } from '../release-store.ts';
import { RollingWorld } from '../rolling-world.ts';
import { ReleaseStoreWorld } from './release-store-world.ts';
import { noRelease, resetOriginNginx, startOriginNginx } from './single-origin.ts';
import type { ReleaseServers, WorldHost, WorldModule } from './world.ts';

/**
 * `rolling` (docs/worlds.md): a Kubernetes Deployment's pods behind one round-robin Service
 * (the ingress), rolled out in the moves of its strategy; `RollingWorld` runs the pods.
 */
class Rolling extends ReleaseStoreWorld {
  private readonly deployment: RollingWorld;

  constructor(
    host: WorldHost,
    private readonly ingress: OriginNginx,
  ) {
    super(host, 'rolling');
    this.deployment = new RollingWorld(
      ingress,
      host.opts.rollout ?? DEFAULT_ROLLOUT,
      (id) => Origin.start(join(host.deployRoot, RELEASES, id), id, host.opts.runId, { DATABASE_PATH: join(host.deployRoot, DATABASE) }),
      (e) => host.history()?.append(e),
    );
  }

  override readonly startsReleases = true;

  override get upstream(): number {
    return this.ingress.port;
  }

  override get current(): string | undefined {
    return this.deployment.current;
  }

  async reconcile(how: ReloadHow): Promise<StoreState> {
    this.refuseRestart(how);
    const state = await this.read();
    await this.deployment.reconcile(state);
    this.state = state;
    return state;
  }

  override async startRelease(id: string): Promise<number> {
    const state = await this.read();
    if (!state.releases.includes(id)) throw noRelease(this.releaseDir(id), id);
    return this.deployment.keep(id, state);
  }

  override async stopRelease(id: string): Promise<void> {
    return this.deployment.release(id, await this.read());
  }

  override releaseServers(): ReleaseServers {
    return this.deployment.servers();
  }

  override originUrls(): Record<string, string> {
    return this.deployment.podUrls();
  }

  override holdRollout(hold: (() => Promise<void>) | undefined): boolean {
    this.deployment.onMixed = hold;
    return true;
  }

  override async reset(): Promise<void> {
    await super.reset();
    await this.deployment.stop();
    await resetOriginNginx(this.host, this.ingress);
  }

  override logs(): Record<string, string[]> {
    return { ingress: this.ingress.logs(), ...this.deployment.logs() };
  }

  override async stop(): Promise<void> {
    const results = await Promise.allSettled([this.deployment.stop(), this.ingress.stop()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

export const rolling: WorldModule = {
  validate: (opts) => {
    if (opts.faultLayer)
      throw new HarnessError(
        'INVALID_SCENARIO',
        'origin faults act on one server per release; the rolling world runs several pods of each',
        'run scenarios that inject origin faults in the pinned or single-origin world',
      );
  },
  start: async (host) => new Rolling(host, await startOriginNginx(host, 'rolling')),
};
