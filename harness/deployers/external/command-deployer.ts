import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { HarnessError } from '../../errors/harness-error.ts';
import { signalGroup, trackChild } from '../../io/children.ts';
import { interruptedBy, onInterrupt } from '../../io/interrupt.ts';
import { LogBuffer } from '../../io/log-buffer.ts';
import { shellArg } from '../../io/shell.ts';
import { NGINX_DIR } from '../../stack/origin-nginx.ts';
import { CURRENT, DATABASE, RELEASES } from '../../stack/release-store.ts';
import {
  type ActionHandle,
  type ActionOutcome,
  type DeployAction,
  type DeployContext,
  type Deployer,
  type HandledAction,
  REFUSE_EXIT,
  type Refusal,
} from '../deployer.ts';
import { ACTION_MARKER, endAction, terminate } from './action-processes.ts';
import { fingerprint, describeChanges } from './fingerprint.ts';
import { handOver, type SandboxUser, unreachable } from '../../io/unprivileged.ts';
import { confinement, FORWARDER, loopbackPorts, refusedWrites, type SandboxMode, sandboxMode, startPortBridge } from './sandbox.ts';
import { leftRunning, processLimit } from './sandbox-action.ts';

/**
 * A deployer that is a command in any language (docs/deployer-contract.md): run once per
 * action with everything in environment variables named as a real Cloudflare/rsync script
 * names them. Non-zero exit, a hang past the timeout, or a write outside its deploy root is a
 * DEPLOYER_FAILED error: the run is then inconclusive, and still torn down.
 */
export function commandDeployer(command: string, opts: Partial<Pick<Deployer, 'name' | 'description' | 'reference'>> = {}): Deployer {
  return {
    name: opts.name ?? basename(command),
    description: opts.description ?? `external command ${command}`,
    reference: opts.reference ?? 'external',
    command,
    deploy: handled(command, 'deploy'),
    rollback: handled(command, 'rollback'),
    cleanup: handled(command, 'cleanup'),
  };
}

/** The environment of one action: the contract's variables, documented one by one. */
export function contractEnv(ctx: DeployContext): Record<string, string> {
  const site = new URL(ctx.siteUrl);
  return {
    SKEW_ACTION: ctx.action,
    // The scenario clock (epoch seconds) and how far it runs ahead of the system clock.
    SKEW_NOW: String(Math.floor(ctx.now / 1000)),
    SKEW_CLOCK_OFFSET_S: String(Math.max(0, Math.round((ctx.now - Date.now()) / 1000))),
    SKEW_VERSION: ctx.version,
    SKEW_BUILD_DIR: ctx.build.dir,
    SKEW_BUILD_ID: ctx.build.buildId,
    // What the release is named by: the deployment id, or without one the build id.
    SKEW_RELEASE_ID: ctx.build.deploymentId,
    // Only for a build made with one (--deployment-id off builds have none, as most self-hosted apps).
    ...(ctx.build.withDeploymentId === false
      ? {}
      : { SKEW_DEPLOYMENT_ID: ctx.build.deploymentId, NEXT_DEPLOYMENT_ID: ctx.build.deploymentId }),
    SKEW_DEPLOY_ROOT: ctx.root,
    // The rollback document's own names for the release store.
    RELEASES_DIR: `${ctx.root}/${RELEASES}`,
    CURRENT_LINK: `${ctx.root}/${CURRENT}`,
    // The app's database (SQLite, shared by every release): migrations run against it.
    DATABASE_PATH: `${ctx.root}/${DATABASE}`,
    // The world, and in single-origin and rolling the nginx include directories the deployer owns.
    SKEW_WORLD: ctx.world,
    ...(ctx.world !== 'pinned' ? { SKEW_NGINX_DIR: `${ctx.root}/${NGINX_DIR}` } : {}),
    ...(ctx.endpoints.processManagerUrl ? { SKEW_PM_URL: ctx.endpoints.processManagerUrl } : {}),
    // Exit with this code to refuse an action as unsafe (the stack stays as it is).
    SKEW_REFUSE_EXIT: String(REFUSE_EXIT),
    // Platform mode: the object store (a directory: <bucket>/<app>/_next/static/…) and its API.
    ...(ctx.bucket ? { SKEW_BUCKET_DIR: ctx.bucket.dir, SKEW_APP: ctx.bucket.app } : {}),
    ...(ctx.endpoints.platformUrl ? { SKEW_PLATFORM_URL: ctx.endpoints.platformUrl } : {}),
    // The scenario's deployer settings: assetRetention → SKEW_OPT_ASSET_RETENTION.
    ...Object.fromEntries(
      Object.entries(ctx.options ?? {}).map(([k, v]) => [`SKEW_OPT_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, v]),
    ),
    SITE_URL: ctx.siteUrl.replace(/\/$/, ''),
    SKEW_EDGE_URLS: ctx.edgeUrls.map((u) => u.replace(/\/$/, '')).join(' '),
    // host:port, as a site's DOMAIN names it for URLs; SKEW_HOST is the host alone, as Cloudflare's
    // `prefixes` purge takes it (a prefix with a port is rejected, code 1015).
    DOMAIN: site.host,
    SKEW_HOST: site.hostname,
    SKEW_HTML_PATHS: ctx.htmlPaths.join('\n'),
    SKEW_HTML_PREFIXES: ctx.htmlPrefixes.join('\n'),
    // The app's next.config basePath ('' for none): public/ files are served under it.
    SKEW_BASE_PATH: ctx.build.app?.basePath ?? '',
    SKEW_RELOAD_URL: ctx.endpoints.reloadUrl,
    // Cloudflare's: a script written for api.cloudflare.com only swaps the base URL.
    CF_API_BASE: ctx.endpoints.cloudflare.apiBase,
    CF_ZONE_ID: ctx.endpoints.cloudflare.zoneId,
    CF_API_TOKEN: ctx.endpoints.cloudflare.token,
  };
}

/**
 * Starts one action: the command in its own process group (everything it starts is paused and
 * killed with it). The returned handle is live at once; a kill before the process exists kills
 * it as soon as it does.
 */
function startCommand(command: string, action: DeployAction, ctx: DeployContext): ActionHandle {
  const out = new LogBuffer(400, (l) => ctx.log(l));
  let pid: number | undefined;
  let killedBy: string | undefined;
  const outcome = (async (): Promise<ActionOutcome> => {
    const label = `${action} ${ctx.version} (${command})`;
    const interrupted = () => ({ interrupted: `${label} was killed (SIGKILL) by ${killedBy}` });
    if (killedBy) return interrupted();
    const contract = contractEnv(ctx);
    // Inherited by whatever the action starts: how an unconfined one's daemons are found after it.
    const marker = randomUUID();
    const env = { ...process.env, ...contract, [ACTION_MARKER]: marker };
    const ports = loopbackPorts(contract);
    const shell = ['/bin/sh', '-c', `exec ${shellArg(command)} "$SKEW_ACTION" "$SKEW_VERSION"`];
    const mode = sandboxMode();
    // Confined: writes outside the root fail in the deployer itself. Not confined: the build is
    // read-only, and next to the deploy root only the edge's and the origin nginx's own
    // directories may change (caches, logs), as compared before and after.
    const guarded = [ctx.build.dir, `${ctx.root}/..`];
    const allowed = [ctx.root, `${ctx.root}/../cdn`, `${ctx.root}/../origin`];
    const before = mode.kind === 'fingerprint' ? await fingerprint(guarded, allowed) : undefined;
    let sandbox: { tmp: string; bridge: Awaited<ReturnType<typeof startPortBridge>> } | undefined;
    let argv = shell;
    let user: SandboxUser | undefined;
    if (mode.kind === 'bubblewrap') {
      const tmp = await mkdtemp(join(ctx.root, '..', 'deployer-tmp-'));
      sandbox = { tmp, bridge: await startPortBridge(ports) };
      user = await asSandboxUser(mode, ctx, command, [ctx.root, tmp, sandbox.bridge.dir]);
      const confined = [
        ...confinement([ctx.root, tmp], ctx.root),
        process.execPath,
        FORWARDER,
        sandbox.bridge.dir,
        ports.join(','),
        ...shell,
      ];
      // Bounded forks: prlimit sets RLIMIT_NPROC, then runs bwrap as the user it binds.
      argv = mode.prlimit ? [mode.prlimit, `--nproc=${processLimit(user)}`, '--', mode.bwrap, ...confined] : [mode.bwrap, ...confined];
    }
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: ctx.root,
      env: sandbox ? { ...env, TMPDIR: sandbox.tmp, XDG_CACHE_HOME: sandbox.tmp } : env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: a timeout or a kill stops everything it started
      ...(user ?? {}),
    });
    trackChild(child, `deployer ${command}`, { group: true });
    pid = child.pid;
    // On Ctrl-C the deployer stops first, before the stack it writes to is taken down.
    const unhook = onInterrupt(() => handle.kill(`skew's ${interruptedBy()} (Ctrl-C or kill)`));
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => out.push(d));
    let timedOut = false;
    let followUp: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      terminate(child.pid, marker, mode.kind === 'bubblewrap' ? realpathSync(mode.bwrap) : undefined);
      // Held, not unref'd: the group is killed even when nothing else keeps the process up.
      followUp = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), GRACE_MS);
    }, ctx.timeoutMs);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : null)));
      child.once('error', () => resolve(127));
    });
    clearTimeout(timer);
    clearTimeout(followUp);
    // Unconfined, what the command left (its group, and setsid'd daemons by their marker) goes
    // now; in the sandbox its PID namespace already took everything with it.
    const stray = sandbox ? [] : await endAction(child.pid, marker, GRACE_MS);
    unhook();
    pid = undefined;
    if (sandbox) {
      await sandbox.bridge.close();
      await rm(sandbox.tmp, { recursive: true, force: true });
    }
    if (killedBy) return interrupted();
    const left = [...leftRunning(out.all()), ...stray];
    if (left.length)
      ctx.log(
        `skew stopped ${left.length} process(es) ${label} left running (SIGTERM, SIGKILL after ${GRACE_MS / 1000} s): ${left.join('; ')}`,
      );
    const refused = sandbox ? refusedWrites(out.all()) : [];
    if (refused.length)
      throw deployerFailed(
        `the deployer wrote outside its deploy root during ${label}: the sandbox refused it`,
        `a deployer may change only SKEW_DEPLOY_ROOT (${ctx.root}) and its TMPDIR; the build directory and everything else are read-only`,
        out,
        refused.map((l) => `refused: ${l}`),
        left,
      );
    if (timedOut)
      throw deployerFailed(
        `the deployer hung: ${label} ran past its ${ctx.timeoutMs / 1000} s timeout and was killed`,
        'make it finish within the timeout (a longer one: skew run --deployer-timeout <seconds>, SKEW_DEPLOYER_TIMEOUT, config deployerTimeout; skewDeployerTimeoutMs in skew/playwright), or find what it waits on in its output',
        out,
        [],
        left,
      );
    if (code !== 0 && code !== REFUSE_EXIT)
      throw deployerFailed(
        `the deployer failed: ${label} exited with code ${code}`,
        'its output is below; the run is inconclusive because the scenario could not go on',
        out,
        [],
        left,
      );
    const changed = before ? describeChanges(before, await fingerprint(guarded, allowed)) : [];
    if (changed.length)
      throw deployerFailed(
        `the deployer wrote outside its deploy root during ${label}`,
        `a deployer may change only SKEW_DEPLOY_ROOT (${ctx.root}); the build directory is read-only`,
        out,
        changed,
        left,
      );
    const leftover = left.length ? { left } : {};
    if (code === REFUSE_EXIT) return { refused: out.tail(3).join(' | ') || `exit ${REFUSE_EXIT} without a reason`, ...leftover };
    return { done: true, ...leftover };
  })();
  const handle: ActionHandle = {
    outcome,
    pause: () => signalGroup(pid, 'SIGSTOP'),
    resume: () => void signalGroup(pid, 'SIGCONT'),
    kill(reason) {
      if (killedBy) return;
      killedBy = reason;
      // SIGKILL to the whole group, no chance to clean up (a crashed CI runner).
      signalGroup(pid, 'SIGKILL');
    },
    output: () => out.tail(20),
  };
  return handle;
}

/** One action of the command: started with a handle by the harness, or called to its end like a module's. */
function handled(command: string, action: DeployAction): HandledAction {
  const start = (ctx: DeployContext) => startCommand(command, action, ctx);
  const run = async (ctx: DeployContext): Promise<void | Refusal> => {
    const o = await start(ctx).outcome;
    if ('interrupted' in o) throw new HarnessError('DEPLOYER_FAILED', o.interrupted, 'the action was killed before it finished');
    if ('refused' in o) return { refused: o.refused };
  };
  return Object.assign(run, { start });
}

/** A failed action, carrying what it left running (the step records it as a success's would be). */
function deployerFailed(message: string, hint: string, out: LogBuffer, extra: string[] = [], left: string[] = []): HarnessError {
  const e = new HarnessError('DEPLOYER_FAILED', message, hint, { details: [...extra, ...out.tail(20)] });
  return left.length ? Object.assign(e, { left }) : e;
}

/** How long what an action left running gets between SIGTERM and SIGKILL (docs/deployer-contract.md). */
export const GRACE_MS = 2_000;

/**
 * The user this action runs as: the sandbox's own (its folders handed over to it), or, where it
 * cannot reach what it must read or run (a folder above closed to others), root without
 * capabilities, saying which path and how to open it.
 */
async function asSandboxUser(
  mode: Extract<SandboxMode, { kind: 'bubblewrap' }>,
  ctx: DeployContext,
  command: string,
  writable: readonly string[],
): Promise<SandboxUser | undefined> {
  const user = mode.user;
  if (!user) return undefined;
  const blocked = unreachable(user, [
    { path: command, need: 'x' },
    { path: ctx.build.dir, need: 'r' },
    { path: process.execPath, need: 'x' },
    { path: FORWARDER, need: 'r' },
    // The deploy root and the temp folder share a parent: named once.
    ...[...new Set(writable.map((path) => join(path, '..')))].map((path) => ({ path, need: 'x' as const })),
  ]);
  if (blocked.length) {
    ctx.log(
      `sandbox: uid ${user.uid} cannot reach ${blocked.join(', ')}: this action runs as root without capabilities (chmod o+x the folders above, o+rx the script, to confine it as uid ${user.uid})`,
    );
    return undefined;
  }
  await handOver(user, writable);
  return user;
}
