import { spawnSync } from 'node:child_process';
import { constants, lstatSync } from 'node:fs';
import { canAccess } from '../../io/files.ts';
import { type SandboxUser, sandboxUser } from '../../io/unprivileged.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How a command deployer is confined. `bubblewrap`: the contract is true by construction: the
 * whole filesystem read-only except the deploy root and a private temp folder (a write elsewhere
 * fails with the deployer's own EROFS), the build read-only, a network namespace whose only
 * reachable ports are the stack's own on 127.0.0.1, a PID namespace (it sees and signals only
 * its own processes, and whatever it leaves running dies with the action), a fresh tmpfs over
 * /run (no daemon's socket: Docker, containerd), no capabilities. Run by root, it also runs as
 * an unprivileged user of its own (`user`): no socket, file or process of root's anywhere is
 * its, and its number of processes is bounded. `fingerprint`: where the sandbox cannot run (not
 * Linux, no bubblewrap, no user namespaces, SKEW_SANDBOX=off), the build folder and the deploy
 * root's siblings are compared before and after each action.
 */
export type SandboxMode =
  | { kind: 'bubblewrap'; bwrap: string; detail: string; user?: SandboxUser; prlimit?: string }
  | { kind: 'fingerprint'; detail: string };

/** Processes (threads count) a deployer action may have at once: a deploy script needs tens, a fork bomb thousands. */
export const SANDBOX_NPROC = 1_024;

let known: SandboxMode | undefined;

/** The mode in force on this machine, tried once (a real `bwrap … true`, ~15 ms). */
export function sandboxMode(env: NodeJS.ProcessEnv = process.env): SandboxMode {
  if (env === process.env && known) return known;
  const mode = detect(env);
  if (env === process.env) known = mode;
  return mode;
}

function detect(env: NodeJS.ProcessEnv): SandboxMode {
  const fallback = (why: string): SandboxMode => ({
    kind: 'fingerprint',
    detail: `fingerprint (no sandbox: ${why}; writes outside the deploy root are found by comparing the build folder and the deploy root's siblings before and after each action)`,
  });
  if (env.SKEW_SANDBOX === 'off') return fallback('SKEW_SANDBOX=off');
  if (process.platform !== 'linux') return fallback(`bubblewrap needs Linux, this is ${process.platform}`);
  const bwrap = onPath(env, 'bwrap');
  if (!bwrap) return fallback('bubblewrap is not installed: `npm run setup`, or apt-get install bubblewrap');
  const trial = (user?: SandboxUser) =>
    spawnSync(bwrap, [...confinement([], '/'), 'true'], { timeout: 5_000, encoding: 'utf8', ...(user ?? {}) });
  // util-linux's prlimit bounds the processes (RLIMIT_NPROC) before bwrap starts.
  const prlimit = onPath(env, 'prlimit');
  const bound = prlimit ? '' : ' (no process bound: util-linux prlimit is not installed)';
  const user = sandboxUser(env);
  const asUser = user ? trial(user) : undefined;
  if (user && asUser?.status === 0)
    return {
      kind: 'bubblewrap',
      bwrap,
      user,
      ...(prlimit ? { prlimit } : {}),
      detail: `${DETAIL(bwrap)}, as uid ${user.uid}${prlimit ? ` with at most ${SANDBOX_NPROC} processes` : bound}`,
    };
  const asIs = trial();
  if (asIs.status !== 0)
    return fallback(
      `bubblewrap cannot start here (${(asIs.stderr || asIs.error?.message || `exit ${asIs.status}`).trim()}): user namespaces may be off`,
    );
  const why = user
    ? `not as uid ${user.uid} (${(asUser?.stderr || asUser?.error?.message || `exit ${asUser?.status}`).trim()}): unprivileged user namespaces may be off`
    : process.getuid?.() === 0
      ? 'as root without capabilities (SKEW_SANDBOX_UID=off)'
      : `as uid ${process.getuid?.()}${prlimit ? ` with at most ${SANDBOX_NPROC} more processes` : ''}`;
  return { kind: 'bubblewrap', bwrap, ...(prlimit ? { prlimit } : {}), detail: `${DETAIL(bwrap)}, ${why}${bound}` };
}

const DETAIL = (bwrap: string) =>
  `bubblewrap (${bwrap}): read-only filesystem but the deploy root and a private temp folder, loopback to the stack's ports only, its own PID namespace, no /run sockets, no capabilities`;

function onPath(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, name))
    .find((p) => canAccess(p, constants.X_OK));
}

/** For tests: detect again. */
export function forgetSandboxMode(): void {
  known = undefined;
}

/**
 * bwrap's arguments: `/` read-only, a fresh tmpfs over /run (every daemon's socket lives there:
 * hidden by construction, not by a list of known ones), `writable` read-write, fresh /dev and
 * /proc, network, IPC and PID namespaces, no capabilities.
 */
export function confinement(writable: readonly string[], cwd: string, runIsDir: boolean = isRealDir('/var/run')): string[] {
  return [
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/run',
    // Debian's /var/run is a link to /run; elsewhere it may be a folder of its own.
    ...(runIsDir ? ['--tmpfs', '/var/run'] : []),
    ...writable.flatMap((d) => ['--bind', d, d]),
    '--unshare-net',
    '--unshare-ipc',
    // Its own PID namespace: no other process of the machine is there to see or signal, and
    // when the action ends its first process goes and the kernel kills every one left.
    '--unshare-pid',
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    '--chdir',
    cwd,
  ];
}

function isRealDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The loopback ports named in the contract's URLs: what the sandboxed deployer may reach. */
export function loopbackPorts(env: Record<string, string>): number[] {
  const ports = new Set<number>();
  for (const v of Object.values(env)) for (const m of v.matchAll(/\bhttps?:\/\/(?:127\.0\.0\.1|localhost):(\d+)/g)) ports.add(Number(m[1]));
  return [...ports].sort((a, b) => a - b);
}

export const FORWARDER = fileURLToPath(new URL('./sandbox-net.mjs', import.meta.url));

/**
 * Outside the sandbox: one Unix socket per port, each connection passed on to 127.0.0.1:<port>.
 * In a short folder: a socket path holds at most 107 bytes, and run folders can be deep.
 */
export async function startPortBridge(ports: readonly number[]): Promise<{ dir: string; close: () => Promise<void> }> {
  const base = join(tmpdir(), 'x').length < 40 ? tmpdir() : '/tmp';
  const dir = await mkdtemp(join(base, 'skew-net-'));
  const servers: Server[] = [];
  try {
    for (const port of ports) {
      const server = createServer((inside) => {
        const outside = connect(port, '127.0.0.1');
        inside.on('error', () => outside.destroy());
        outside.on('error', () => inside.destroy());
        inside.pipe(outside).pipe(inside);
      });
      servers.push(server);
      await new Promise<void>((res, rej) => {
        server.once('error', rej);
        server.listen(join(dir, String(port)), res);
      });
    }
  } catch (e) {
    for (const s of servers) s.close();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    dir,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Lines of a deployer's output where the sandbox refused a write: they name the path. */
export function refusedWrites(lines: readonly string[]): string[] {
  return lines.filter((l) => /read-only file system|EROFS/i.test(l));
}
