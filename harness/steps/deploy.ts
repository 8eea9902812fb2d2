import { z } from 'zod';
import { htmlToPurge } from '../builds/routes.ts';
import { join } from 'node:path';
import { BUCKET } from '../cdn/nginx-config.ts';
import type { Build } from '../builds/types.ts';
import type { ActionOutcome, DeployAction, DeployContext } from '../deployers/deployer.ts';
import { HarnessError, isHarnessError } from '../errors/harness-error.ts';
import { earlyVisitor } from './observers/early-visitor.ts';
import { type ActionObserver, Observations } from './observers/observer.ts';
import { storageFault } from './observers/storage-fault.ts';
import { startAction } from '../deployers/action.ts';
import { buildOf, type StepContext, type StepKind } from './step.ts';

/** Deploy and rollback steps may hold their rollout mid-way (rolling world). */
export const pauseField = {
  /**
   * Rolling world: hold the rollout once pods of both builds serve (`kubectl rollout pause`); the
   * steps after this one act on the mixed pods until a `resumeRollout` step. Other worlds switch
   * at once: the deploy runs whole, and those steps run after it.
   */
  pauseMidRollout: z.literal(true).optional(),
};

const schema = z.object({
  kind: z.literal('deploy'),
  version: z.string().min(1),
  /**
   * A path a visitor loads (HTML and its /_next/static files, through the edge) each time the
   * deployer reloads the app or purges, before the deployer goes on: traffic mid-deploy.
   */
  visitDuring: z.string().startsWith('/').optional(),
  /** Platform mode: the share of new visitors the new revision gets once deployed (default 100). */
  traffic: z.number().int().min(0).max(100).optional(),
  ...pauseField,
});
export type DeployStep = z.infer<typeof schema>;

/** Runs the deployer's `deploy` for a version, then lets the process manager reconcile. */
export const deploy: StepKind<DeployStep> = {
  kind: 'deploy',
  schema,
  label: (s) =>
    `deploy ${s.version}${s.traffic !== undefined ? ` (${s.traffic} % of new visitors)` : ''}${s.visitDuring ? ` (a visitor loads ${s.visitDuring} mid-deploy)` : ''}`,
  run: (ctx, s) =>
    runDeployer(ctx, 'deploy', s.version, {
      ...(s.visitDuring ? { visitDuring: s.visitDuring } : {}),
      ...(s.traffic !== undefined ? { traffic: s.traffic } : {}),
      ...(s.pauseMidRollout ? { pauseMidRollout: true } : {}),
    }),
};

/** How one deployer action runs: traffic mid-deploy, the platform's share, a rollout held mid-way. */
export interface DeployerRun {
  visitDuring?: string;
  traffic?: number;
  pauseMidRollout?: boolean;
}

/**
 * Shared by deploy, rollback and cleanup: one deployer action, recorded, then origins reconciled.
 * With `pauseMidRollout` in the rolling world, it returns once pods of both builds serve, the
 * action still under way; the steps after it act on the mixed pods until `resumeRollout`.
 */
export async function runDeployer(ctx: StepContext, action: DeployAction, version: string, run: DeployerRun = {}): Promise<void> {
  const held = ctx.duringDeploy.held;
  if (held)
    throw new HarnessError(
      'INVALID_SCENARIO',
      `${action} ${version} while the rollout of ${held.label} is held mid-way`,
      'put a resumeRollout step before it',
    );
  // Other worlds switch at once: nothing to hold, the action runs whole.
  if (!run.pauseMidRollout || !ctx.stack.holdRollout(undefined)) return act(ctx, action, version, run);
  let reached!: () => void;
  const mixed = new Promise<'held'>((r) => (reached = () => r('held')));
  let go!: () => void;
  const gate = new Promise<void>((r) => (go = r));
  ctx.stack.holdRollout(async () => {
    reached();
    await gate;
  });
  const done = act(ctx, action, version, run).finally(() => ctx.stack.holdRollout(undefined));
  done.catch(() => {}); // awaited below or by resumeRollout
  if ((await Promise.race([done.then(() => 'done' as const), mixed])) === 'done') {
    ctx.log('  the rollout never had pods of both builds serving: nothing to hold');
    return;
  }
  ctx.log(`  rollout held with pods of both builds behind the Service; the steps until resumeRollout act on them`);
  ctx.duringDeploy.held = {
    label: `${action} ${version}`,
    resume: async () => {
      ctx.duringDeploy.held = undefined;
      go();
      await done;
    },
  };
}

/** The step's and the faults' evidence sources, after the world's (stack.observers): their hooks run in this order. */
const STEP_OBSERVERS: ActionObserver[] = [earlyVisitor, storageFault];

/** One deployer action: observed, recorded in the history, then the process manager reconciles. */
async function act(ctx: StepContext, action: DeployAction, version: string, { visitDuring, traffic = 100 }: DeployerRun): Promise<void> {
  const build = buildOf(ctx, version);
  const started = Date.now();
  const observed = await Observations.attach([...ctx.stack.observers, ...STEP_OBSERVERS], {
    ...{ ctx, action, version, build, traffic, visitDuring },
    history: ctx.history,
    deployRoot: ctx.stack.deployRoot,
    deploymentId: build.deploymentId,
  });
  const handle = startAction(ctx.deployer, action, await deployContext(ctx, action, version, build));
  if (!handle) {
    await observed.ended();
    ctx.log(`  [${ctx.deployer.name}] has no ${action}: nothing removed`);
    return;
  }
  observed.started(handle);
  const record = recorder(ctx, action, version, build, started);
  let outcome: ActionOutcome;
  try {
    outcome = await handle.outcome;
  } catch (e) {
    record({ ok: false, error: e instanceof Error ? e.message : String(e), ...left(e) });
    throw asDeployerFailure(e, `${action} ${version} (${ctx.deployer.name})`);
  } finally {
    await observed.ended();
  }
  if ('interrupted' in outcome) {
    // Killed on purpose: recorded, and the scenario goes on to see what state it left.
    ctx.log(`  [${ctx.deployer.name}] ${outcome.interrupted}`);
    record({ ok: false, error: outcome.interrupted, interrupted: true, ...left(outcome) });
    return;
  }
  if ('refused' in outcome) ctx.log(`  [${ctx.deployer.name}] refused ${action} ${version} as unsafe; the stack stays as it was`);
  record('refused' in outcome ? { ok: false, refused: outcome.refused, ...left(outcome) } : { ok: true, ...left(outcome) });
  await observed.completed(outcome);
  await ctx.stack.reconcile().catch((e: unknown) => {
    throw asDeployerFailure(e, `${action} ${version} (${ctx.deployer.name})`);
  });
}

type Outcome = ({ ok: true } | { ok: false; error?: string; interrupted?: true; refused?: string }) & { left?: string[] };

/** Records an action's outcome in the history: ok, or not and why (failed, killed, refused). */
function recorder(ctx: StepContext, action: DeployAction, version: string, build: Build, started: number): (o: Outcome) => void {
  return ({ ok, ...why }) =>
    void ctx.history.append({
      type: 'deployer',
      deployer: ctx.deployer.name,
      action,
      version,
      deploymentId: build.deploymentId,
      ok,
      ms: Date.now() - started,
      ...why,
    });
}

/** What the deployer is told and may call for one action: the contract's inputs and callbacks. */
async function deployContext(ctx: StepContext, action: DeployAction, version: string, build: Build): Promise<DeployContext> {
  return {
    action,
    version,
    now: ctx.history.clock(),
    root: ctx.stack.deployRoot,
    world: ctx.stack.world,
    build,
    siteUrl: ctx.stack.url,
    edgeUrls: ctx.stack.locations.map((l) => ctx.stack.edgeAt(l).url),
    ...(await htmlToPurge(build.dir)),
    endpoints: {
      cloudflare: ctx.control.cloudflare,
      reloadUrl: ctx.control.reloadUrl,
      ...(ctx.control.platformUrl ? { platformUrl: ctx.control.platformUrl } : {}),
      ...(ctx.control.processManagerUrl ? { processManagerUrl: ctx.control.processManagerUrl } : {}),
    },
    ...(ctx.stack.platform ? { bucket: { dir: join(ctx.stack.deployRoot, BUCKET), app: ctx.stack.platform.app } } : {}),
    timeoutMs: ctx.deployerTimeoutMs,
    options: ctx.deployerOptions,
    log: (l) => ctx.log(`  [${ctx.deployer.name}] ${l}`),
    reload: async () => {
      await ctx.stack.reconcile();
      await ctx.duringDeploy.afterChange?.('reload');
    },
    purge: async (request) => {
      const { evicted } = await ctx.stack.purge(request);
      ctx.history.append({ type: 'purge', by: ctx.deployer.name, via: 'direct', request, evicted });
      await ctx.duringDeploy.afterChange?.('purge');
    },
  };
}

/**
 * Whatever goes wrong inside a deployer action is the deployer's: a module that throws, or a
 * release it left that `next start` cannot run. The run is then inconclusive, not broken.
 * Only a harness-side environment problem other than the origin (nginx, Docker) stays as it is.
 */
function asDeployerFailure(e: unknown, label: string): unknown {
  if (isHarnessError(e) && (e.code === 'DEPLOYER_FAILED' || (e.kind === 'environment' && e.code !== 'ORIGIN_FAILED'))) return e;
  const message = e instanceof Error ? e.message : String(e);
  const details = isHarnessError(e) ? [e.message, ...e.details] : e instanceof Error && e.stack ? e.stack.split('\n').slice(0, 8) : [];
  const hint =
    isHarnessError(e) && e.code === 'ORIGIN_FAILED'
      ? 'the release the deployer left could not be started with `next start`; is it a complete copy of the build?'
      : 'the deployer threw; see its stack below';
  return new HarnessError('DEPLOYER_FAILED', `the deployer failed: ${label}: ${message.split('\n')[0]}`, hint, { cause: e, details });
}

/** What an action left running, for its history event (only when there was something). */
function left(outcome: unknown): { left?: string[] } {
  const l = (outcome as { left?: unknown } | undefined)?.left;
  return Array.isArray(l) && l.length ? { left: l.map(String) } : {};
}
