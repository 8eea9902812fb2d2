import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../../errors/harness-error.ts';
import type { ReloadHow } from '../control-plane.ts';
import { NGINX_HTTP_DIR, NGINX_SERVER_DIR, OriginNginx } from '../origin-nginx.ts';
import type { StoreState } from '../release-store.ts';
import { ReleaseStoreWorld } from './release-store-world.ts';
import type { WorldHost, WorldModule } from './world.ts';

/** The web server in front of the app (single-origin) or the ingress (rolling), started with the deployer's include folders. */
export async function startOriginNginx(host: WorldHost, mode: 'single-origin' | 'rolling'): Promise<OriginNginx> {
  const { opts } = host;
  return OriginNginx.start({
    dir: join(opts.dir, 'origin'),
    deployRoot: host.deployRoot,
    runId: opts.runId,
    mode,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.edge?.staticPrefix ? { staticPrefix: opts.edge.staticPrefix } : {}),
  });
}

/** Back to no routes, with the deployer's (now empty) include folders in place. */
export async function resetOriginNginx(host: WorldHost, nginx: OriginNginx): Promise<void> {
  await mkdir(join(host.deployRoot, NGINX_HTTP_DIR), { recursive: true });
  await mkdir(join(host.deployRoot, NGINX_SERVER_DIR), { recursive: true });
  await nginx.route({ kept: [] });
}

/**
 * `single-origin` (docs/worlds.md): a VPS. One app server for `current` behind the origin nginx,
 * which every edge sends every request to. A reload is `pm2 reload`: start the new server, wait
 * until it answers, point nginx at it (`nginx -t` first, with the deployer's includes), and only
 * then stop the previous one. A release that is not current keeps its files and gets no server
 * unless the deployer starts one (`pm2 start`). A restart (`pm2 restart`) stops the previous
 * server first: until the new one listens, nginx has nothing to send requests to (502).
 */
class SingleOrigin extends ReleaseStoreWorld {
  constructor(
    host: WorldHost,
    private readonly nginx: OriginNginx,
  ) {
    super(host, 'single-origin');
  }

  override readonly startsReleases = true;

  override get upstream(): number {
    return this.nginx.port;
  }

  async reconcile(how: ReloadHow): Promise<StoreState> {
    const { origins } = this.host;
    const state = await this.read();
    const current = state.current;
    const started = current && !origins.has(current) ? current : undefined;
    // Servers the deployer started itself keep running until it stops them (pm2 start/delete).
    const replaced = () => origins.ids().filter((id) => id !== current && !this.started.has(id));
    if (how.restart && started) await Promise.all(replaced().map((id) => origins.stop(id)));
    if (started) await origins.start([started], this.releaseDir);
    try {
      await this.nginx.route({
        ...(current ? { app: origins.routedPorts()[current]! } : {}),
        kept: state.releases,
        servers: Object.values(origins.routedPorts()),
      });
    } catch (e) {
      // The new configuration was refused: the old server keeps serving, the new one goes.
      if (started) await origins.stop(started);
      throw e;
    }
    await Promise.all(replaced().map((id) => origins.stop(id)));
    this.state = state;
    this.host.recordStack(state);
    return state;
  }

  override async startRelease(id: string): Promise<number> {
    const state = await this.read();
    if (!state.releases.includes(id)) throw noRelease(this.releaseDir(id), id);
    if (!this.host.origins.has(id)) await this.host.origins.start([id], this.releaseDir);
    this.started.add(id);
    this.host.recordStack(this.state);
    return this.host.origins.routedPorts()[id]!;
  }

  override async reset(): Promise<void> {
    await super.reset();
    await resetOriginNginx(this.host, this.nginx);
  }

  override logs(): Record<string, string[]> {
    return { 'origin-nginx': this.nginx.logs() };
  }

  override stop(): Promise<void> {
    return this.nginx.stop();
  }
}

/** A release to start that the deployer never installed. */
export function noRelease(dir: string, id: string): Error {
  return new HarnessError('DEPLOYER_FAILED', `no release ${id} to start`, `install it under ${dir} first`);
}

export const singleOrigin: WorldModule = {
  start: async (host) => new SingleOrigin(host, await startOriginNginx(host, 'single-origin')),
};
