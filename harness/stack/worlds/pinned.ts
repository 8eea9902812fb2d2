import type { ReloadHow } from '../control-plane.ts';
import type { StoreState } from '../release-store.ts';
import type { WorldModule } from './world.ts';
import { ReleaseStoreWorld } from './release-store-world.ts';

/**
 * `pinned`: one origin per kept release, and the edge routes each pinned request (deployment id
 * in `?dpl=` or `x-deployment-id`) to its own release's origin, the rest to `current`.
 */
class Pinned extends ReleaseStoreWorld {
  async reconcile(how: ReloadHow): Promise<StoreState> {
    this.refuseRestart(how);
    const { origins } = this.host;
    const state = await this.read();
    const wanted = new Set(state.releases);
    await Promise.all(
      origins
        .ids()
        .filter((id) => !wanted.has(id))
        .map((id) => origins.stop(id)),
    );
    await origins.start(
      state.releases.filter((id) => !origins.has(id)),
      this.releaseDir,
    );
    await this.host.setRoutes({
      ...(state.current ? { current: state.current } : {}),
      origins: origins.routedPorts(),
      kept: state.releases,
    });
    this.state = state;
    this.host.recordStack(state);
    return state;
  }
}

export const pinned: WorldModule = {
  start: async (host) => new Pinned(host, 'pinned'),
};
