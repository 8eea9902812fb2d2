import type { Build } from '../builds/types.ts';
import type { PurgeRequest } from '../cdn/purge.ts';
import type { World } from '../core/scenario.ts';

/**
 * What a deployer (a strategy under test) gets for one action. It changes the stack only
 * through this: the release store under `root`, and the CDN's purge. The harness then plays
 * the process manager (starts/stops origins) and records everything.
 */
export interface DeployContext {
  /**
   * `deploy` and `rollback` make `version` current. `cleanup` is the delayed garbage collection
   * (a cron job, the next pipeline run): `version` is the one that is current, and `now` tells
   * how much time has passed since the deploys it may clean up after.
   */
  action: DeployAction;
  /**
   * The time, epoch milliseconds, on the scenario clock: scenarios move it forward ("15 minutes
   * later") without waiting. Decide retention by it, not by the system clock.
   */
  now: number;
  /** The deploy root the deployer owns: `releases/<deploymentId>/`, `current` (and `nginx/` in the single-origin and rolling worlds). */
  root: string;
  /**
   * The world the stack is built as. `single-origin`: one app server runs `current` behind the
   * origin nginx, which includes the deployer's `root/nginx/http.d/*.conf` and
   * `root/nginx/server.d/*.conf` (docs/deployer-contract.md). `rolling`: `current` is the
   * Deployment's pod template; a reload rolls its pods out behind the ingress, which includes
   * the same files.
   */
  world: World;
  /** The version going live. `build.dir` is read-only: copy from it. */
  build: Build;
  /** Public URL of the CDN edge (for purge-by-URL). */
  siteUrl: string;
  /** Every edge location's URL, `siteUrl` first: verify a purge reached each of them. */
  edgeUrls: string[];
  /**
   * A module deployer's: aborted when a fault kills the action mid-way (storage-kill-after); it
   * should stop where it is. (A command deployer's process group gets SIGKILL instead.)
   */
  signal?: AbortSignal;
  /**
   * The process manager's reload (`pm2 reload all` in the rollback document): origins are
   * started/stopped to match the release store and the edge routes to `current`. Call it after
   * switching `current` and before purging HTML, or the purge races the old origin. The harness
   * also reconciles after the action returns.
   */
  reload(): Promise<void>;
  purge(req: PurgeRequest): Promise<void>;
  /** The same two operations over HTTP, for tools that are not JavaScript (see the contract). */
  endpoints: {
    /** Cloudflare-compatible: `POST {apiBase}/zones/{zoneId}/purge_cache`, Bearer token. */
    cloudflare: { apiBase: string; zoneId: string; token: string };
    /** `POST` = the process manager reload. */
    reloadUrl: string;
    /** Platform mode: the platform API (revisions, `status.currentTraffic`). */
    platformUrl?: string;
    /** single-origin and rolling: the process manager's per-release servers (rolling: a release's pods) (`POST /start/<id>`, `/stop/<id>`, `GET` the list). */
    processManagerUrl?: string;
  };
  /** Platform mode: the object store bucket (a directory) and the app's prefix in it. */
  bucket?: { dir: string; app: string };
  /** Paths of the version's HTML entry points: static pages and prerendered ones (what "purge HTML only" purges). */
  htmlPaths: string[];
  /**
   * Where the version renders pages on demand that the edge then caches (ISR with `fallback`):
   * no build lists them, so they are purged by prefix, e.g. `/legacy/ssg/`.
   */
  htmlPrefixes: string[];
  /** The version letter (A, B, …), for logs. */
  version: string;
  /** The scenario's settings for deployers (e.g. `assetRetention`), also as SKEW_OPT_<NAME>. */
  options?: Record<string, string>;
  /** Milliseconds the action may take before it is killed and the run is inconclusive. */
  timeoutMs: number;
  log(line: string): void;
}

export type DeployAction = 'deploy' | 'rollback' | 'cleanup';

/**
 * A deployer may refuse an action as unsafe (a rollback onto a database its code cannot read):
 * a command exits with REFUSE_EXIT and says why; a module returns `{ refused: why }`. The stack
 * stays as it was, the refusal is recorded, and the scenario goes on.
 */
export const REFUSE_EXIT = 77;
export interface Refusal {
  refused: string;
}

export interface Deployer {
  name: string;
  /** One line: what it does, and for broken references, the mistake it makes. */
  description: string;
  /** Ours are either the advice (good) or a documented mistake (broken); a user's is external. */
  reference: 'good' | 'broken' | 'external';
  /**
   * Runs on the skew-protection platform (revisions behind a traffic split, every build's static
   * files in one object store) instead of a release store: its scenarios set `platform: true`.
   */
  platform?: boolean;
  /** A command deployer's command (a script's path): what `skew mutate` copies and mutates. */
  command?: string;
  /** A module deployer's file (exporting it as default or `deployer`): what `skew mutate` copies and mutates. */
  module?: string;
  deploy(ctx: DeployContext): Promise<void | Refusal>;
  rollback(ctx: DeployContext): Promise<void | Refusal>;
  /** Optional: without it, a `cleanup` step does nothing (and keeps everything, which is safe). */
  cleanup?(ctx: DeployContext): Promise<void | Refusal>;
}

/**
 * An action that runs outside this process (a command deployer's): besides being called, it can
 * be started, handing back the handle the harness pauses and kills it through. Carried by the
 * method itself, so a module that spreads a command deployer and overrides one action gets its
 * own code run for that action (harness/deployers/action.ts).
 */
export interface HandledAction {
  (ctx: DeployContext): Promise<void | Refusal>;
  start(ctx: DeployContext): ActionHandle;
}

/** What a deployer action came to: done, refused as unsafe, or killed on purpose (a fault). */
/** `left`: what the action's command left running when it ended, which skew stopped (a command's daemons). */
export type ActionOutcome = ({ done: true } | { refused: string } | { interrupted: string }) & { left?: string[] };

/**
 * A deployer action under way, as the harness holds it: faults pause and kill it through this
 * and never touch the deployer's processes themselves (testcontainers hands back a started
 * container the same way).
 */
export interface ActionHandle {
  /** Settles with what the action came to; rejects when the deployer failed (DEPLOYER_FAILED). */
  readonly outcome: Promise<ActionOutcome>;
  /** Freezes the action; false when it cannot be frozen (a module deployer, a command not started yet). */
  pause(): boolean;
  /** Lets a paused action go on. */
  resume(): void;
  /** Stops it at once, with no chance to clean up (a crashed CI runner): the outcome is `interrupted`. */
  kill(reason: string): void;
  /** The last lines the action printed. */
  output(): string[];
}
