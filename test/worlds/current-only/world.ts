import type { ReloadHow } from '../../../harness/stack/control-plane.ts';
import type { StoreState } from '../../../harness/stack/release-store.ts';
import { ReleaseStoreWorld } from '../../../harness/stack/worlds/release-store-world.ts';
import type { WorldModule } from '../../../harness/stack/worlds/world.ts';

/**
 * A world skew does not ship, written the way a new one is: a host that runs only `current`'s
 * server and lets the edge send every request there (no pinning, no kept servers), like a
 * container host that replaces its one container on each deploy. This folder is all it takes.
 */
class CurrentOnly extends ReleaseStoreWorld {
  async reconcile(how: ReloadHow): Promise<StoreState> {
    this.refuseRestart(how);
    const { origins } = this.host;
    const state = await this.read();
    const current = state.current;
    if (current && !origins.has(current)) await origins.start([current], this.releaseDir);
    await Promise.all(
      origins
        .ids()
        .filter((id) => id !== current)
        .map((id) => origins.stop(id)),
    );
    await this.host.setRoutes({ ...(current ? { current } : {}), origins: origins.routedPorts(), kept: current ? [current] : [] });
    this.state = state;
    this.host.recordStack(state);
    return state;
  }
}

export const currentOnly: WorldModule = {
  start: async (host) => new CurrentOnly(host, 'current-only'),
};
