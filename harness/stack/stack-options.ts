import type { EdgeRules } from '../cdn/edge.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import type { History } from '../core/history.ts';
import type { RolloutStrategy } from '../core/rollout-strategy.ts';
import type { World } from '../core/scenario.ts';

export interface StackOptions {
  /** A directory the stack owns for this run (absolute). */
  dir: string;
  cdn: CdnKind;
  runId: string;
  history?: History;
  image?: string;
  edge?: EdgeRules;
  /**
   * The skew-protection platform instead of a release store: revisions (one origin each, run
   * from the build of their deployment id, like an image) behind a traffic split, static files
   * from the object store under the deploy root (`bucket/<app>/_next/static/`).
   */
  platform?: { app: string; images: Record<string, string> };
  /**
   * Put a fault layer (harness/stack/fault-layer.ts) between the edge and each origin, so that
   * origin faults can refuse, delay, reset or cut connections. Off: the edge talks to origins directly.
   */
  faultLayer?: boolean;
  /**
   * Edge locations (PoPs), each its own nginx with its own cache, all routing to the same
   * origins; the first is the one `url` names. Default one location, `edge`.
   */
  locations?: string[];
  /**
   * `pinned` (default): one origin per kept release, the edge routes pinned requests to theirs.
   * `single-origin`: one app server for `current` behind the origin nginx (OriginNginx), which
   * every edge sends every request to; a reload starts the new server before it stops the old.
   * `rolling`: a Kubernetes Deployment's pods behind one round-robin Service (RollingWorld).
   */
  world?: World;
  /** The rolling world's Deployment strategy (replicas, maxSurge, maxUnavailable). */
  rollout?: RolloutStrategy;
  /** The run's progress log: what the stack changed of the deployer's own (its nginx includes). */
  log?: (line: string) => void;
}
