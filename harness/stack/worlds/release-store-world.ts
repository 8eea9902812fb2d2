import { join } from 'node:path';
import { HarnessError } from '../../errors/harness-error.ts';
import type { ReloadHow } from '../control-plane.ts';
import { RELEASES, readStore, type StoreState } from '../release-store.ts';
import type { ReleaseServers, RunningWorld, WorldHost, WorldObserver } from './world.ts';

/**
 * What the worlds that run releases from the store (`releases/<id>`, `current`) share: the
 * state last reconciled, the releases a deployer started itself, and the servers they make.
 */
export abstract class ReleaseStoreWorld implements RunningWorld {
  protected state: StoreState = { releases: [] };
  /** Releases the deployer asked the process manager to run besides current (`startRelease`). */
  protected readonly started = new Set<string>();
  readonly observers: WorldObserver[] = [];
  readonly startsReleases: boolean = false;

  constructor(
    protected readonly host: WorldHost,
    private readonly name: string,
  ) {}

  /** Only single-origin's process manager restarts (`pm2 restart`); elsewhere a restart is a scenario mistake. */
  protected refuseRestart(how: ReloadHow): void {
    if (how.restart)
      throw new HarnessError(
        'INVALID_SCENARIO',
        `a restart (POST $SKEW_RELOAD_URL?mode=restart, pm2 restart) is the single-origin world's; this run is in ${this.name}`,
        'reload with a plain POST $SKEW_RELOAD_URL',
      );
  }

  get current(): string | undefined {
    return this.state.current;
  }

  abstract reconcile(how: ReloadHow): Promise<StoreState>;

  protected releaseDir = (id: string): string => join(this.host.deployRoot, RELEASES, id);

  protected read(): Promise<StoreState> {
    return readStore(this.host.deployRoot);
  }

  async startRelease(_id: string): Promise<number> {
    throw new HarnessError(
      'INVALID_SCENARIO',
      'starting a release server is for the single-origin and rolling worlds',
      'in pinned, every kept release runs',
    );
  }

  async stopRelease(id: string): Promise<void> {
    this.started.delete(id);
    if (id !== this.state.current && this.host.origins.has(id)) await this.host.origins.stop(id);
    this.host.recordStack(this.state);
  }

  releaseServers(): ReleaseServers {
    return {
      ...(this.state.current ? { current: this.state.current } : {}),
      servers: Object.entries(this.host.origins.routedPorts()).map(([id, port]) => ({ id, port })),
    };
  }

  originUrls(): Record<string, string> {
    return this.host.origins.urls();
  }

  holdRollout(_hold?: () => Promise<void>): boolean {
    return false;
  }

  /** Back to no releases; a world whose edges route per release (no `upstream`) clears their routes. */
  async reset(): Promise<void> {
    this.state = { releases: [] };
    this.started.clear();
    if (this.upstream === undefined) await this.host.setRoutes({ origins: {}, kept: [] });
  }

  get upstream(): number | undefined {
    return undefined;
  }

  logs(): Record<string, string[]> {
    return {};
  }

  async stop(): Promise<void> {}
}
