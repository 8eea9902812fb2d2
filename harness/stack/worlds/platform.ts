import { existsSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../../errors/harness-error.ts';
import { BUCKET } from '../../cdn/nginx-config.ts';
import { seedNeighbour } from '../../platform/bucket.ts';
import { Platform } from '../../platform/platform.ts';
import type { ReloadHow } from '../control-plane.ts';
import { bucketDiff } from '../observers/bucket-diff.ts';
import { platformRollout } from '../observers/platform-rollout.ts';
import type { StoreState } from '../release-store.ts';
import { ReleaseStoreWorld } from './release-store-world.ts';
import type { WorldHost, WorldModule, WorldObserver } from './world.ts';

/**
 * The skew-protection platform (the pinned world's platform side): revisions, one origin each
 * run from the build of their deployment id like an image, behind a traffic split; static files
 * from the object store under the deploy root (`bucket/<app>/_next/static/`).
 */
class PlatformWorld extends ReleaseStoreWorld {
  readonly platform: Platform;
  override readonly observers: WorldObserver[];

  constructor(
    host: WorldHost,
    private readonly images: Record<string, string>,
    app: string,
  ) {
    super(host, 'pinned');
    this.platform = new Platform(app, () => Object.keys(images));
    this.observers = [bucketDiff(app), platformRollout(this.platform)];
  }

  /** The one revision at 100 %; none while a rollout mixes two. */
  override get current(): string | undefined {
    const split = this.platform.split();
    return split.length === 1 ? split[0]!.deploymentId : undefined;
  }

  /** An origin per revision's deployment, routes from the traffic table. */
  async reconcile(how: ReloadHow): Promise<StoreState> {
    this.refuseRestart(how);
    const { origins } = this.host;
    const wanted = [...new Set(this.platform.revisions.map((r) => r.deploymentId))];
    const starting = wanted.filter((id) => !origins.has(id));
    const images = this.imagesDir();
    for (const id of starting) {
      // "Pulling the image": a private copy of the build, so the build stays read-only.
      const dir = join(images, id);
      if (!existsSync(dir)) await cp(this.images[id]!, dir, { recursive: true, filter: (src) => !src.includes('/.next/cache') });
    }
    await origins.start(starting, (id) => join(images, id));
    await this.host.setRoutes({ origins: origins.routedPorts(), kept: [], split: this.platform.split() });
    this.state = { releases: wanted };
    this.host.history()?.append({ type: 'stack', live: origins.ids(), kept: [], split: this.platform.currentTraffic });
    return this.state;
  }

  private imagesDir(): string {
    return join(this.host.opts.dir, 'platform', 'images');
  }

  override async reset(): Promise<void> {
    await super.reset();
    await rm(join(this.host.opts.dir, 'platform'), { recursive: true, force: true });
    this.platform.reset();
    await seedNeighbour(join(this.host.deployRoot, BUCKET));
  }
}

export const platform: WorldModule = {
  validate: (opts) => {
    if (opts.world && opts.world !== 'pinned')
      throw new HarnessError(
        'INVALID_SCENARIO',
        'the platform (revisions behind a traffic split) is the pinned world',
        'run platform scenarios in the pinned world',
      );
  },
  start: async (host) => {
    const p = host.opts.platform!;
    await seedNeighbour(join(host.deployRoot, BUCKET));
    return new PlatformWorld(host, p.images, p.app);
  },
};
