import type { History } from '../../core/history.ts';
import type { Edge } from '../../cdn/edge.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ReloadHow } from '../control-plane.ts';
import type { OriginPool } from '../origin-pool.ts';
import type { StoreState } from '../release-store.ts';
import type { StackOptions } from '../stack-options.ts';

/** What the stack gives a world: its folders and options, the origin pool, the edges' routes, the history. */
export interface WorldHost {
  readonly dir: string;
  readonly deployRoot: string;
  readonly opts: StackOptions;
  readonly origins: OriginPool;
  /** Where the stack records what it did now (a reset replaces it). */
  history(): History | undefined;
  /** New routes for every edge location. */
  setRoutes(routes: Parameters<Edge['setRoutes']>[0]): Promise<void>;
  /** What runs now, in the history: current, the live servers, the kept releases. */
  recordStack(state: StoreState): void;
}

/** One deployer action as a world's observers see it. */
export interface WorldAction {
  history: History;
  deployRoot: string;
  action: string;
  version: string;
  deploymentId: string;
  /** The platform's share of new visitors for a revision a deploy creates. */
  traffic: number;
}

/** How an action that ran to its end ended: done, or refused as unsafe. */
export type ActionEnd = { done: true } | { refused: string };

/** What an attached observer does as the action goes on. */
export interface WorldObservation {
  /** The action ended, whatever its outcome (or there was none to run). */
  ended?(): Promise<void> | void;
  /** The action ran to its end, done or refused (not killed): record what it changed. */
  completed?(outcome: ActionEnd): Promise<void> | void;
}

/** An evidence source a world attaches around each deployer action (the platform's bucket, its rollout). */
export interface WorldObserver {
  name: string;
  /** Before the action starts; undefined when there is nothing to watch this time. */
  attach(a: WorldAction): Promise<WorldObservation | undefined> | WorldObservation | undefined;
}

/** The servers that run, with their ports; `current` is the one unpinned requests go to. */
export interface ReleaseServers {
  current?: string;
  servers: { id: string; port: number }[];
}

/**
 * A world as it runs (docs/worlds.md): how releases become servers and how requests reach them.
 * The stack holds the edge locations and purges; everything that differs between worlds is here.
 */
export interface RunningWorld {
  /** Where every edge sends every request (a web server in front of the app), or undefined: edges route per release. */
  readonly upstream?: number;
  /** Whether a deployer starts and stops release servers itself (`pm2 start`/`delete`: SKEW_PM_URL). */
  readonly startsReleases: boolean;
  /** The skew-protection platform, in the world that has one. */
  readonly platform?: Platform;
  /** The deployment new visitors get, if one does. */
  readonly current: string | undefined;
  /** The process manager after the deployer changed the store (`pm2 reload`, a rollout). */
  reconcile(how: ReloadHow): Promise<StoreState>;
  /** The process manager's `pm2 start` of a release besides current; the port to route to. */
  startRelease(id: string): Promise<number>;
  /** Its `pm2 delete`. */
  stopRelease(id: string): Promise<void>;
  releaseServers(): ReleaseServers;
  /** Each server's URL by name, for reports and `--keep`. */
  originUrls(): Record<string, string>;
  /** Hold the next rollout once it mixes two builds (false: this world switches at once). */
  holdRollout(hold: (() => Promise<void>) | undefined): boolean;
  /** Back to empty after the stack cleared the deploy root (a stack shared by a worker's tests). */
  reset(): Promise<void>;
  /** Last log lines of the world's own parts. */
  logs(): Record<string, string[]>;
  stop(): Promise<void>;
  /** Evidence sources around each deployer action, besides the ones every world has. */
  readonly observers: WorldObserver[];
}

/** A world: one module, one registry line (worlds/registry.ts). */
export interface WorldModule {
  /** Refuses options this world cannot run with, before anything starts. */
  validate?(opts: StackOptions): void;
  /** Starts the world's own parts (before the edges, which may send everything to its `upstream`). */
  start(host: WorldHost): Promise<RunningWorld>;
}
