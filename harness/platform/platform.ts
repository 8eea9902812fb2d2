import { HarnessError } from '../errors/harness-error.ts';

/** The operator's label that maps a revision to its build id (knext stamps it on each revision). */
export const BUILD_ID_LABEL = 'knext.dev/build-id';

export interface Revision {
  name: string;
  /** What the revision runs: the build's deployment id (its "image"). */
  deploymentId: string;
  labels: Record<string, string>;
  /** Creation order, 1-based. */
  generation: number;
}

export interface TrafficTarget {
  revisionName: string;
  percent: number;
}

/**
 * The platform of the skew-protection document, in memory: revisions (one origin each, with the
 * operator's labels) and the traffic table that `NextApp.status.currentTraffic` shows. Deployers
 * read and create through the platform API (HTTP, on the control plane); scenario steps split
 * traffic the way an operator's rollout or a rollback canary does. Pure state: the stack turns
 * it into origins and nginx routes.
 */
export class Platform {
  readonly revisions: Revision[] = [];
  private traffic: TrafficTarget[] = [];

  constructor(
    readonly app: string,
    private readonly knownDeployments: () => string[],
  ) {}

  /** No revisions, no traffic: as before the first deploy (a reused stack between tests). */
  reset(): void {
    this.revisions.length = 0;
    this.traffic = [];
  }

  get currentTraffic(): TrafficTarget[] {
    return this.traffic.map((t) => ({ ...t }));
  }

  revision(name: string): Revision | undefined {
    return this.revisions.find((r) => r.name === name);
  }

  /** The newest revision running a deployment (what a scenario means by "version B"). */
  revisionOf(deploymentId: string): Revision | undefined {
    return this.revisions.filter((r) => r.deploymentId === deploymentId).at(-1);
  }

  createRevision(input: { deploymentId: string; labels?: Record<string, string>; name?: string }): Revision {
    if (!this.knownDeployments().includes(input.deploymentId)) {
      throw new HarnessError(
        'INVALID_OPTION',
        `no image for deployment id "${input.deploymentId}"`,
        `create revisions of the scenario's builds: ${this.knownDeployments().join(', ')}`,
      );
    }
    const generation = this.revisions.length + 1;
    const name = input.name ?? `${this.app}-${String(generation).padStart(5, '0')}`;
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name) || this.revision(name)) {
      throw new HarnessError(
        'INVALID_OPTION',
        `revision name "${name}" is invalid or taken`,
        'lowercase letters, digits and dashes; unique per app',
      );
    }
    const labels = { ...(input.labels ?? {}) };
    for (const [k, v] of Object.entries(labels))
      if (typeof v !== 'string') throw new HarnessError('INVALID_OPTION', `label ${k} must be a string`, 'labels are string → string');
    const rev = { name, deploymentId: input.deploymentId, labels, generation };
    this.revisions.push(rev);
    return rev;
  }

  /** Replaces the table; percents are whole numbers that add up to 100 over known revisions. */
  setTraffic(targets: TrafficTarget[]): void {
    const problems: string[] = [];
    for (const t of targets) {
      if (!this.revision(t.revisionName)) problems.push(`unknown revision "${t.revisionName}"`);
      if (!Number.isInteger(t.percent) || t.percent < 0 || t.percent > 100)
        problems.push(`percent ${t.percent} for ${t.revisionName} is not a whole number 0–100`);
    }
    const sum = targets.reduce((a, t) => a + t.percent, 0);
    if (targets.length && sum !== 100) problems.push(`percents add up to ${sum}, not 100`);
    if (problems.length)
      throw new HarnessError(
        'INVALID_OPTION',
        `invalid traffic table: ${problems.join('; ')}`,
        'give [{ revisionName, percent }] adding up to 100',
      );
    this.traffic = targets.filter((t) => t.percent > 0).map((t) => ({ ...t }));
  }

  /** A rollout: `revisionName` gets `percent`, the others keep their shares scaled to the rest. */
  rollOut(revisionName: string, percent: number): void {
    const rest = this.traffic.filter((t) => t.revisionName !== revisionName);
    const restSum = rest.reduce((a, t) => a + t.percent, 0);
    if (restSum === 0) {
      this.setTraffic([{ revisionName, percent: 100 }]);
      return;
    }
    const scaled = rest.map((t) => ({ revisionName: t.revisionName, percent: Math.floor((t.percent * (100 - percent)) / restSum) }));
    // Rounding leftovers go to the largest remaining share.
    const left = 100 - percent - scaled.reduce((a, t) => a + t.percent, 0);
    if (scaled.length) scaled.sort((a, b) => b.percent - a.percent)[0]!.percent += left;
    this.setTraffic([{ revisionName, percent }, ...scaled]);
  }

  /** Shares by deployment id, for the edge's split. */
  split(): { deploymentId: string; percent: number }[] {
    const by = new Map<string, number>();
    for (const t of this.traffic) {
      const id = this.revision(t.revisionName)!.deploymentId;
      by.set(id, (by.get(id) ?? 0) + t.percent);
    }
    return [...by].map(([deploymentId, percent]) => ({ deploymentId, percent }));
  }
}
