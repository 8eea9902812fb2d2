import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright';
import { launchBrowser } from '../browser/launch.ts';
import { DEFAULT_TIMEOUTS, type Session, type SessionTimeouts } from '../browser/session.ts';
import type { Build } from '../builds/types.ts';
import type { EdgeRules } from '../cdn/edge.ts';
import { BUCKET_APP } from '../cdn/nginx-config.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import { History, ofType, type Stamped } from '../core/history.ts';
import type { Deployer } from '../deployers/deployer.ts';
import { ActiveFaults } from '../faults/active-faults.ts';
import { createRng, randomSeed, type Rng } from '../faults/rng.ts';
import { startControlPlane, type ControlPlane } from '../stack/control-plane.ts';
import { Stack } from '../stack/stack.ts';
import { stepKind, type Step } from '../steps/index.ts';
import type { StepContext } from '../steps/step.ts';

export interface RigOptions {
  builds: Record<string, Build>;
  deployer: Deployer;
  cdn: CdnKind;
  /** A directory the rig owns (the stack's releases, nginx prefix, traces). Absolute. */
  dir: string;
  runId: string;
  image?: string;
  headless?: boolean;
  timeouts?: Partial<SessionTimeouts>;
  deployerTimeoutMs?: number;
  deployerOptions?: Record<string, string>;
  edge?: EdgeRules;
  /** The skew-protection platform (revisions + traffic split) instead of a release store. */
  platform?: boolean;
  /** Record a Playwright trace per session; `closeSessions` keeps those of troubled sessions. */
  traces?: boolean;
  /** Edge locations (each its own nginx and cache); default one. */
  locations?: string[];
  /** A fault layer between the edge and each origin (needed by origin faults). */
  faultLayer?: boolean;
  /** Chromium may use its back/forward cache (needed by `browser-bfcache`; off otherwise, as Playwright has it). */
  bfcache?: boolean;
  /** Seeds every random choice of the faults (default: a fresh one, see `seed`). */
  seed?: number;
  log?: (line: string) => void;
}

/**
 * A live stack with its control plane and a browser, and the history everything is recorded
 * into: what scenario steps run against. `runScenario` opens one per run; the Playwright
 * fixtures open one per worker and `reset` it between tests (the edge stays up, its state goes).
 */
export class Rig {
  readonly sessions = new Map<string, Session>();
  private browserInstance: Browser | undefined;
  private readonly duringDeploy: StepContext['duringDeploy'] = {};
  private deployerOptions: Record<string, string>;
  /** Faults injected now; healed by `reset` and `close` at the latest. */
  readonly faults = new ActiveFaults(() => this.history);
  readonly seed: number;
  private rng: Rng;

  private constructor(
    readonly stack: Stack,
    readonly control: ControlPlane,
    private readonly opts: RigOptions,
    public history: History,
  ) {
    this.deployerOptions = opts.deployerOptions ?? {};
    this.seed = opts.seed ?? randomSeed();
    this.rng = createRng(this.seed);
  }

  static async open(opts: RigOptions): Promise<Rig> {
    const log = opts.log ?? (() => {});
    // A user's app may serve its assets under a basePath or path assetPrefix: the edge follows it.
    const staticPrefix = Object.values(opts.builds)[0]?.app?.staticPrefix;
    log(`stack: starting nginx (${opts.cdn})…`);
    // Control-plane callbacks record into the rig's current history (a reset replaces it).
    let rig: Rig | undefined;
    const first = new History();
    const history = () => rig?.history ?? first;
    const stack = await Stack.start({
      dir: join(opts.dir, 'stack'),
      cdn: opts.cdn,
      runId: opts.runId,
      history: first,
      ...(opts.faultLayer ? { faultLayer: true } : {}),
      ...(opts.locations ? { locations: opts.locations } : {}),
      ...(opts.image ? { image: opts.image } : {}),
      ...(opts.edge || staticPrefix ? { edge: { ...opts.edge, ...(staticPrefix ? { staticPrefix } : {}) } } : {}),
      ...(opts.platform
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
        purge: (r) => stack.purge(r),
        reload: async () => void (await stack.reconcile()),
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

  /** What steps see. */
  get context(): StepContext {
    return {
      history: this.history,
      stack: this.stack,
      control: this.control,
      duringDeploy: this.duringDeploy,
      deployer: this.opts.deployer,
      builds: this.opts.builds,
      sessions: this.sessions,
      log: this.opts.log ?? (() => {}),
      deployerOptions: this.deployerOptions,
      deployerTimeoutMs: this.opts.deployerTimeoutMs ?? 120_000,
      timeouts: { ...DEFAULT_TIMEOUTS, ...this.opts.timeouts },
      traces: this.opts.traces ?? false,
      faults: this.faults,
      rng: this.rng,
      browser: async () =>
        (this.browserInstance ??= await launchBrowser({
          headless: this.opts.headless ?? true,
          ...(this.opts.bfcache ? { bfcache: true } : {}),
        })),
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
    if (!kind) throw new Error(`unknown step kind "${step.kind}"`);
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
    if (this.opts.traces && keep.size) await mkdir(dir, { recursive: true });
    for (const [name, s] of this.sessions) {
      const path = join(dir, `${name.replace(/[^\w.-]/g, '_')}.zip`);
      if (await s.close(this.opts.traces && keep.has(name) ? path : undefined)) traces[name] = path;
    }
    this.sessions.clear();
    return traces;
  }

  /** Ready for the next test: sessions closed, stack emptied, a fresh history. */
  async reset(deployerOptions: Record<string, string> = {}): Promise<void> {
    await this.faults.healAll().catch(() => {});
    await this.closeSessions(new Set());
    this.history = new History();
    // Each test draws the same sequence for the same seed, whatever ran before it.
    this.rng = createRng(this.seed);
    this.deployerOptions = deployerOptions;
    delete this.duringDeploy.afterChange;
    await this.stack.reset(this.history);
  }

  async close(): Promise<void> {
    await this.faults.healAll().catch(() => {});
    await this.closeSessions(new Set()).catch(() => {});
    await this.browserInstance?.close().catch(() => {});
    this.browserInstance = undefined;
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
