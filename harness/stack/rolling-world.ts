import type { HistoryEvent } from '../core/history.ts';
import { freePort } from '../io/ports.ts';
import type { Origin } from './origin.ts';
import type { OriginNginx, PodRoutes } from './origin-nginx.ts';
import type { StoreState } from './release-store.ts';
import type { RolloutStrategy } from '../core/rollout-strategy.ts';
import { rolloutPlan } from './rollout-plan.ts';

/** One pod: a `next start` of one release, on its own port. */
export interface Pod {
  name: string;
  release: string;
  origin: Origin;
}

/**
 * The rolling world (docs/worlds.md): a Kubernetes Deployment without skew protection. The
 * release `current` names is its pod template; when it changes, the rollout starts pods of the
 * new release and stops the old ones in the moves `rolloutPlan` gives, and while it runs old and
 * new pods sit behind one round-robin Service (the ingress, OriginNginx in rolling mode), so one
 * tab's requests land on either build. A pod stops only once the ingress no longer routes to it.
 * A deployer may keep a release's pods outside the Service (the process manager's `start/<id>`)
 * and route pinned requests to them through its own ingress include.
 */
export class RollingWorld {
  private pods: Pod[] = [];
  /** The pods unpinned requests go to, round-robin. */
  private readonly service = new Set<Pod>();
  /** The release the Deployment runs once its rollout is done. */
  private template: string | undefined;
  /** Releases whose pods the deployer keeps running outside the Service. */
  private readonly kept = new Set<string>();
  /** Each release's own listener on the ingress, while it has pods. */
  private readonly ports = new Map<string, number>();
  private serial = 0;
  private mixed = false;
  /**
   * Set by a step that holds the rollout (`pauseMidRollout`): called once, when pods of both
   * builds first serve; the rollout goes on when it returns.
   */
  onMixed: (() => Promise<void>) | undefined;

  constructor(
    private readonly ingress: OriginNginx,
    private readonly strategy: RolloutStrategy,
    private readonly startOrigin: (release: string) => Promise<Origin>,
    private readonly record: (e: HistoryEvent) => void,
  ) {}

  /** The release every pod of the Service runs; none while a rollout mixes two. */
  get current(): string | undefined {
    return this.mixed ? undefined : this.template;
  }

  /** The pods that run, by name, with their URLs. */
  podUrls(): Record<string, string> {
    return Object.fromEntries(this.pods.map((p) => [p.name, p.origin.url]));
  }

  logs(): Record<string, string[]> {
    return Object.fromEntries(this.pods.map((p) => [`pod-${p.name}`, p.origin.logs()]));
  }

  /**
   * The Deployment controller after a deployer's reload: pods of releases gone from the store
   * stop, and when `current` names another release than the template, the rollout runs.
   */
  async reconcile(state: StoreState): Promise<void> {
    const gone = new Set(this.pods.filter((p) => !state.releases.includes(p.release)).map((p) => p.release));
    for (const id of gone) this.kept.delete(id);
    if (gone.size && !(state.current && gone.has(state.current))) {
      for (const p of this.pods) if (gone.has(p.release)) this.service.delete(p);
      await this.route(state, `pods of removed release(s) ${[...gone].join(', ')} stopped`);
      await this.stopUnused();
    }
    if (state.current && state.current !== this.template) await this.rollout(state.current, state);
    else await this.route(state);
  }

  /** The process manager's `start/<id>`: keep (or start) a release's pods outside the Service; its listener's port. */
  async keep(id: string, state: StoreState): Promise<number> {
    this.kept.add(id);
    if (!this.pods.some((p) => p.release === id)) await this.startPods(id, this.strategy.replicas);
    await this.route(state, `${id}'s pods kept by the deployer`);
    return this.ports.get(id)!;
  }

  /** The process manager's `stop/<id>`: its pods outside the Service stop. */
  async release(id: string, state: StoreState): Promise<void> {
    this.kept.delete(id);
    await this.stopUnused(state);
  }

  /** Releases with pods, each with its listener's port (what `GET /pm` lists). */
  servers(): { current?: string; servers: { id: string; port: number }[] } {
    return {
      ...(this.current ? { current: this.current } : {}),
      servers: [...this.ports].map(([id, port]) => ({ id, port })),
    };
  }

  async stop(): Promise<void> {
    const all = this.pods;
    this.pods = [];
    this.service.clear();
    this.ports.clear();
    this.kept.clear();
    this.template = undefined;
    this.mixed = false;
    this.onMixed = undefined;
    await Promise.allSettled(all.map((p) => p.origin.stop()));
  }

  private async rollout(to: string, state: StoreState): Promise<void> {
    const old = [...this.service];
    const fresh: Pod[] = [];
    try {
      for (const move of rolloutPlan(this.strategy, old.length)) {
        if (move.scale === 'new') {
          const want = move.new - fresh.length;
          // Pods of the release that already run outside the Service (kept by the deployer) join first.
          const idle = this.pods.filter((p) => p.release === to && !this.service.has(p) && !fresh.includes(p)).slice(0, want);
          const started = await this.startPods(to, want - idle.length);
          for (const p of [...idle, ...started]) {
            fresh.push(p);
            this.service.add(p);
          }
        } else {
          const serving = old.filter((p) => this.service.has(p));
          for (const p of serving.slice(0, serving.length - move.old)) this.service.delete(p);
        }
        this.mixed = move.old > 0 && move.new > 0;
        if (move.old === 0) this.template = to;
        await this.route(state, `rollout to ${to}: ${move.old} old and ${move.new} new pod(s) behind the Service`);
        // A pod out of the Service stops only now that the ingress no longer routes to it.
        if (move.scale === 'old') await this.stopUnused();
        if (this.mixed && this.onMixed) {
          const hold = this.onMixed;
          this.onMixed = undefined;
          await hold();
        }
      }
    } catch (e) {
      // A pod that never answers (or an ingress the deployer broke) leaves the old pods serving; the new ones go.
      for (const p of fresh) this.service.delete(p);
      for (const p of old) if (this.pods.includes(p)) this.service.add(p);
      this.mixed = false;
      await this.route(state, `rollout to ${to} failed: the old pods serve`).catch(() => {});
      await this.stopUnused();
      throw e;
    }
    this.template = to;
    this.mixed = false;
  }

  private async startPods(release: string, count: number): Promise<Pod[]> {
    const started = await Promise.allSettled(
      Array.from({ length: count }, async () => ({
        name: `${release}-${++this.serial}`,
        release,
        origin: await this.startOrigin(release),
      })),
    );
    const pods = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.allSettled(pods.map((p) => p.origin.stop()));
      throw failed.reason;
    }
    this.pods.push(...pods);
    return pods;
  }

  /** Stops pods that are neither behind the Service nor kept (rerouting first when `state` is given). */
  private async stopUnused(state?: StoreState): Promise<void> {
    const unused = this.pods.filter((p) => !this.service.has(p) && !this.kept.has(p.release));
    if (!unused.length) return;
    this.pods = this.pods.filter((p) => !unused.includes(p));
    if (state) await this.route(state, `pods of ${[...new Set(unused.map((p) => p.release))].join(', ')} stopped`);
    await Promise.allSettled(unused.map((p) => p.origin.stop()));
  }

  /** Points the ingress at the Service and each release's pods, and records what serves. */
  private async route(state: StoreState, note?: string): Promise<void> {
    const releases = [...new Set(this.pods.map((p) => p.release))];
    for (const id of [...this.ports.keys()]) if (!releases.includes(id)) this.ports.delete(id);
    for (const id of releases) if (!this.ports.has(id)) this.ports.set(id, await freePort());
    const pods: PodRoutes = {
      service: [...this.service].map((p) => p.origin.port),
      releases: releases.map((id) => ({
        id,
        port: this.ports.get(id)!,
        pods: this.pods.filter((p) => p.release === id).map((p) => p.origin.port),
      })),
    };
    await this.ingress.route({ kept: state.releases, pods });
    const serving = [...new Set([...this.service].map((p) => p.release))];
    this.record({
      type: 'stack',
      ...(this.current ? { current: this.current } : {}),
      live: releases,
      kept: state.releases,
      serving,
      ...(note ? { note } : {}),
    });
  }
}
