import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BrowserPool } from '../browser/pool.ts';
import type { PreparedTab, Session } from '../browser/session.ts';
import type { Build } from '../builds/types.ts';
import { BUCKET_APP } from '../cdn/nginx-config.ts';
import { History, ofType, type Stamped } from '../core/history.ts';
import type { Deployer } from '../deployers/deployer.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { ActiveFaults } from '../faults/active-faults.ts';
import type { FaultContext } from '../faults/fault.ts';
import { createRng, type Rng } from '../faults/rng.ts';
import { startControlPlane, type ControlPlane } from '../stack/control-plane.ts';
import { Stack } from '../stack/stack.ts';
import { STEP_KINDS, stepKind, type Step } from '../steps/index.ts';
import type { StepContext } from '../steps/step.ts';
import type { StackSpec } from './spec.ts';

export interface RigOptions {
  /** The world to build: CDN, edge rules and locations, platform, what the steps need, limits. */
  spec: StackSpec;
  builds: Record<string, Build>;
  deployer: Deployer;
  /** A directory the rig owns (the stack's releases, nginx prefix, traces). Absolute. */
  dir: string;
  runId: string;
  deployerOptions?: Record<string, string>;
  log?: (line: string) => void;
  /** Browsers shared with other runs (a worker's): the rig opens contexts in them, never closes them. */
  browsers?: BrowserPool | undefined;
}

/**
 * A live stack with its control plane and a browser, and the history everything is recorded
 * into: what scenario steps run against. `runScenario` opens one per run; the Playwright
 * fixtures open one per worker and `reset` it between tests (the edge stays up, its state goes).
 */
export class Rig {
  readonly sessions = new Map<string, Session>();
  /** Tabs opened ahead of their openSession steps (prepareAhead); closed with the sessions. */
  readonly preparedTabs = new Map<string, Promise<PreparedTab>>();
  /** The rig's own browsers, when it was given none to share (closed with the rig). */
  private readonly ownBrowsers = new BrowserPool();
  private readonly duringDeploy: StepContext['duringDeploy'] = {};
  private deployerOptions: Record<string, string>;
  /** Faults injected now; healed by `reset` and `close` at the latest. */
  readonly faults = new ActiveFaults(() => this.faultContext);
  private rng: Rng;

  private constructor(
    readonly stack: Stack,
    readonly control: ControlPlane,
    private readonly opts: RigOptions,
    public history: History,
  ) {
    this.deployerOptions = opts.deployerOptions ?? {};
    this.rng = createRng(opts.spec.seed);
  }

  static async open(opts: RigOptions): Promise<Rig> {
    const { spec } = opts;
    const log = opts.log ?? (() => {});
    // A user's app may serve its assets under a basePath or path assetPrefix: the edge follows it.
    const staticPrefix = Object.values(opts.builds)[0]?.app?.staticPrefix;
    log(`stack: starting nginx (${spec.cdn}, ${spec.world} world)…`);
    // Control-plane callbacks record into the rig's current history (a reset replaces it).
    let rig: Rig | undefined;
    const first = new History();
    const history = () => rig?.history ?? first;
    const stack = await Stack.start({
      dir: join(opts.dir, 'stack'),
      cdn: spec.cdn,
      world: spec.world,
      runId: opts.runId,
      history: first,
      log,
      // Origin faults act on the connections from the edge: only then is the fault layer put in between.
      ...(spec.needs.has('faultLayer') ? { faultLayer: true } : {}),
      ...(spec.locations ? { locations: spec.locations } : {}),
      ...(spec.rollout ? { rollout: spec.rollout } : {}),
      ...(spec.image ? { image: spec.image } : {}),
      ...(spec.edge || staticPrefix ? { edge: { ...spec.edge, ...(staticPrefix ? { staticPrefix } : {}) } } : {}),
      ...(spec.platform
        ? { platform: { app: BUCKET_APP, images: Object.fromEntries(Object.values(opts.builds).map((b) => [b.deploymentId, b.dir])) } }
        : {}),
    });
    log(`stack: edge at ${stack.url}`);
    let control: ControlPlane;
    try {
      control = await startControlPlane({
        afterChange: async (what) => rig?.duringDeploy.afterChange?.(what),
        ...(stack.platform
          ? {
              platform: stack.platform,
              onRevision: (r) => history().append({ type: 'revision', name: r.name, deploymentId: r.deploymentId, labels: r.labels }),
            }
          : {}),
        ...(stack.startsReleases ? { processManager: stack } : {}),
        purge: (r) => stack.purge(r),
        reload: async (how) => void (await stack.reconcile(how)),
        onPurge: (r) =>
          history().append({
            type: 'purge',
            by: opts.deployer.name,
            via: 'api',
            evicted: r.evicted,
            status: r.status,
            ...(r.request ? { request: r.request } : {}),
            ...(r.errorCode !== undefined ? { errorCode: r.errorCode } : {}),
            ...(r.body !== undefined ? { body: r.body } : {}),
            ...(r.note ? { note: r.note } : {}),
          }),
      });
    } catch (e) {
      await stack.stop().catch(() => {});
      throw e;
    }
    rig = new Rig(stack, control, opts, first);
    return rig;
  }

  get spec(): StackSpec {
    return this.opts.spec;
  }

  /** What steps see. */
  get context(): StepContext {
    const { spec } = this.opts;
    return {
      history: this.history,
      stack: this.stack,
      control: this.control,
      duringDeploy: this.duringDeploy,
      deployer: this.opts.deployer,
      builds: this.opts.builds,
      sessions: this.sessions,
      preparedTabs: this.preparedTabs,
      log: this.opts.log ?? (() => {}),
      deployerOptions: this.deployerOptions,
      deployerTimeoutMs: spec.deployerTimeoutMs,
      timeouts: spec.timeouts,
      traces: spec.traces !== 'off',
      faults: this.faults,
      browser: async () => {
        const launch = {
          headless: spec.headless,
          // Only a scenario that goes back to a cached page lets Chromium keep one: the others run as Playwright has it.
          ...(spec.needs.has('bfcache') ? { bfcache: true } : {}),
        };
        return (this.opts.browsers ?? this.ownBrowsers).get(launch);
      },
    };
  }

  /** What faults see: the parts they disturb, nothing more. */
  private get faultContext(): FaultContext {
    return {
      history: this.history,
      builds: this.opts.builds,
      stack: this.stack,
      purgeApi: this.control,
      platformApi: this.control,
      sessions: this.sessions,
      rng: this.rng,
      capabilities: this.opts.spec.needs,
      watchDeployer: (watch) => {
        this.duringDeploy.interrupt = watch;
        return () => {
          if (this.duringDeploy.interrupt === watch) delete this.duringDeploy.interrupt;
        };
      },
    };
  }

  get builds(): Record<string, Build> {
    return this.opts.builds;
  }

  /**
   * Runs one step, recorded as a step start and end in the history. Throws what the step threw
   * (after recording it as the step's error).
   */
  async step(index: number, step: Step): Promise<void> {
    const kind = stepKind(step.kind);
    if (!kind)
      throw new HarnessError(
        'INVALID_SCENARIO',
        `unknown step kind "${step.kind}"`,
        `use one of: ${STEP_KINDS.map((k) => k.kind).join(', ')}`,
      );
    const parsed = kind.schema.parse(step);
    const label = kind.label(parsed);
    this.history.append({ type: 'step', index, kind: step.kind, label, phase: 'start' });
    try {
      await kind.run(this.context, parsed);
      this.history.append({ type: 'step', index, kind: step.kind, label, phase: 'end' });
    } catch (e) {
      this.history.append({
        type: 'step',
        index,
        kind: step.kind,
        label,
        phase: 'end',
        error: e instanceof Error ? e.message.split('\n')[0]! : String(e),
      });
      throw e;
    }
  }

  /**
   * Closes every session. With traces on, the trace of each session that saw trouble (see
   * `troubledSessions`) is written to `<dir>/traces/<session>.zip`; the others are dropped.
   * Returns the traces written, by session.
   */
  async closeSessions(keep: ReadonlySet<string> = troubledSessions(this.history.events)): Promise<Record<string, string>> {
    const traces: Record<string, string> = {};
    const dir = join(this.opts.dir, 'traces');
    if (this.opts.spec.traces !== 'off' && keep.size) await mkdir(dir, { recursive: true });
    for (const [name, s] of this.sessions) {
      const path = join(dir, `${name.replace(/[^\w.-]/g, '_')}.zip`);
      if (await s.close(this.opts.spec.traces !== 'off' && keep.has(name) ? path : undefined)) traces[name] = path;
    }
    this.sessions.clear();
    // Tabs prepared for steps that never came: nothing was recorded in them.
    const unused = [...this.preparedTabs.values()];
    this.preparedTabs.clear();
    await Promise.all(unused.map((p) => p.then((t) => t.context.close()).catch(() => {})));
    return traces;
  }

  /** Ready for the next test: sessions closed, stack emptied, a fresh history. */
  async reset(deployerOptions: Record<string, string> = {}): Promise<void> {
    await this.faults.healAll().catch(() => {});
    await this.closeSessions(new Set());
    this.history = new History();
    // Each test draws the same sequence for the same seed, whatever ran before it.
    this.rng = createRng(this.opts.spec.seed);
    this.deployerOptions = deployerOptions;
    delete this.duringDeploy.afterChange;
    await this.duringDeploy.held?.resume().catch(() => {});
    delete this.duringDeploy.held;
    await this.stack.reset(this.history);
  }

  async close(): Promise<void> {
    await this.duringDeploy.held?.resume().catch(() => {});
    await this.faults.healAll().catch(() => {});
    await this.closeSessions(new Set()).catch(() => {});
    await this.ownBrowsers.close();
    await this.control.close().catch(() => {});
    await this.stack.stop();
  }
}

/**
 * Sessions a user would call broken: a page error, a hard reload, an action that did not work,
 * a failed or 4xx/5xx request for a `/_next/` file. Their traces are worth keeping.
 */
export function troubledSessions(events: readonly Stamped[]): Set<string> {
  const troubled = new Set<string>();
  for (const e of ofType(events, 'pageerror')) troubled.add(e.session);
  for (const e of ofType(events, 'hard-reload')) troubled.add(e.session);
  for (const e of ofType(events, 'action')) if (e.outcome !== 'ok') troubled.add(e.session);
  for (const e of ofType(events, 'response')) if (e.status >= 400 && e.url.includes('/_next/')) troubled.add(e.session);
  for (const e of ofType(events, 'request-failed')) if (e.url.includes('/_next/static/')) troubled.add(e.session);
  return troubled;
}
