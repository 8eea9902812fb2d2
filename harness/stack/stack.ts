import { mkdir, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Edge, type EdgeRules } from '../cdn/edge.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import type { History } from '../core/history.ts';
import { Origin } from './origin.ts';
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
}

/**
 * What a deployment platform looks like from the browser: a release store on disk, one Next
 * origin per release on its own port, and the nginx edge in front. Deployers change the store;
 * `reconcile()` then plays the process manager (like `pm2 reload`): start an origin for each
 * new release, stop those whose release is gone, and point the edge at the result.
 */
export class Stack implements AsyncDisposable {
  private readonly origins = new Map<string, Origin>();
  private state: StoreState = { releases: [] };

  private constructor(readonly deployRoot: string, readonly edge: Edge, private readonly opts: StackOptions) {}

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

  get current(): string | undefined {
    return this.state.current;
  }

  /** Origins by deployment id, with their URLs (for reports and `--keep`). */
  originUrls(): Record<string, string> {
    return Object.fromEntries([...this.origins].map(([id, o]) => [id, o.url]));
  }

  async reconcile(): Promise<StoreState> {
    const state = await readStore(this.deployRoot);
    const wanted = new Set(state.releases);
    await Promise.all([...this.origins].filter(([id]) => !wanted.has(id)).map(async ([id, o]) => {
      this.origins.delete(id);
      await o.stop();
    }));
    const starting = state.releases.filter((id) => !this.origins.has(id));
    const started = await Promise.allSettled(starting.map((id) => Origin.start(join(this.deployRoot, RELEASES, id), id, this.opts.runId, { DATABASE_PATH: join(this.deployRoot, DATABASE) })));
    started.forEach((r, i) => {
      if (r.status === 'fulfilled') this.origins.set(starting[i]!, r.value);
    });
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await this.edge.setRoutes({
      ...(state.current ? { current: state.current } : {}),
      origins: Object.fromEntries([...this.origins].map(([id, o]) => [id, o.port])),
      kept: state.releases,
    });
    this.state = state;
    this.opts.history?.append({ type: 'stack', ...(state.current ? { current: state.current } : {}), live: [...this.origins.keys()], kept: state.releases });
    return state;
  }

  /** Last log lines of each part, for the run's evidence. */
  logs(): Record<string, string[]> {
    return { edge: this.edge.logs(), ...Object.fromEntries([...this.origins].map(([id, o]) => [`origin-${id}`, o.logs()])) };
  }

  async stop(): Promise<void> {
    const results = await Promise.allSettled([...[...this.origins.values()].map((o) => o.stop()), this.edge.stop()]);
    this.origins.clear();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
