import type { z } from 'zod';
import type { Browser } from 'playwright';
import type { Build } from '../builds/types.ts';
import type { History } from '../core/history.ts';
import type { Deployer } from '../deployers/deployer.ts';
import type { PreparedTab, Session, SessionTimeouts } from '../browser/session.ts';
import type { Stack } from '../stack/stack.ts';
import type { ControlPlane } from '../stack/control-plane.ts';
import type { ActiveFaults } from '../faults/active-faults.ts';
import type { Capability, DeployerWatch } from '../faults/fault.ts';
import { HarnessError } from '../errors/harness-error.ts';

/** What a step may use. Steps act and record; they never judge (checks do that later). */
export interface StepContext {
  history: History;
  stack: Stack;
  /** The purge API and process-manager reload that deployers call over HTTP. */
  control: ControlPlane;
  /**
   * Set by a deploy/rollback step while its deployer runs: called after each purge and reload
   * the deployer makes, before it gets the answer (traffic that arrives mid-deploy).
   */
  duringDeploy: {
    afterChange?: (what: 'purge' | 'reload') => Promise<void>;
    /** Set by a storage fault (FaultContext.watchDeployer): watches each deployer action from its start. */
    interrupt?: DeployerWatch;
    /** A deploy or rollback whose rollout is held mid-way (rolling world): `resume` lets it finish and awaits it. */
    held?: { label: string; resume(): Promise<void> };
  };
  deployer: Deployer;
  /** The scenario's deployerOptions. */
  deployerOptions: Record<string, string>;
  /** How long one deployer action may take. */
  deployerTimeoutMs: number;
  /** Builds by version letter (A, B, …). */
  builds: Record<string, Build>;
  browser: () => Promise<Browser>;
  sessions: Map<string, Session>;
  /** Tabs opened ahead of the openSession steps that will use them, by session (prepareAhead). */
  preparedTabs: Map<string, Promise<PreparedTab>>;
  timeouts: SessionTimeouts;
  /** Record a Playwright trace of each session (kept for the sessions that saw trouble). */
  traces: boolean;
  /** The faults injected now; `inject`/`heal` steps go through it. */
  faults: ActiveFaults;
  log: (line: string) => void;
}

export interface StepKind<S extends { kind: string }> {
  kind: S['kind'];
  schema: z.ZodType<S>;
  /** What the run must start for this step (an inject step: what its fault needs); default none. */
  needs?(step: S): readonly Capability[];
  /** Short human label for reports and the timeline. */
  label(step: S): string;
  run(ctx: StepContext, step: S): Promise<void>;
}

/** Looks a session up, with an error naming the scenario mistake. */
export function sessionOf(ctx: StepContext, name: string): Session {
  const s = ctx.sessions.get(name);
  if (!s)
    throw new HarnessError(
      'INVALID_SCENARIO',
      `no open session named "${name}" (open: ${[...ctx.sessions.keys()].join(', ') || 'none'})`,
      'open it with an openSession step before the steps that use it',
    );
  return s;
}

export function buildOf(ctx: StepContext, version: string): Build {
  const b = ctx.builds[version];
  if (!b)
    throw new HarnessError(
      'INVALID_SCENARIO',
      `version ${version} is not among the scenario's versions (${Object.keys(ctx.builds).join(', ')})`,
      "add it to the scenario's versions, or name one of those",
    );
  return b;
}

/** The version letter whose build has this deployment id. */
export function versionOfDeployment(builds: Record<string, { deploymentId: string }>, id: string | undefined | null): string | undefined {
  return Object.entries(builds).find(([, b]) => b.deploymentId === id)?.[0];
}
