import { spawnSync } from 'node:child_process';
import { constants, existsSync, realpathSync } from 'node:fs';
import { canAccess } from '../../io/files.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How a command deployer is confined. `bubblewrap`: the contract is true by construction: the
 * whole filesystem read-only except the deploy root and a private temp folder (a write elsewhere
 * fails with the deployer's own EROFS), the build read-only, a network namespace whose only
 * reachable ports are the stack's own on 127.0.0.1, no capabilities. `fingerprint`: where the
 * sandbox cannot run (not Linux, no bubblewrap, no user namespaces, SKEW_SANDBOX=off), the
 * build folder and the deploy root's siblings are compared before and after each action.
 */
export type SandboxMode = { kind: 'bubblewrap'; bwrap: string; detail: string } | { kind: 'fingerprint'; detail: string };

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
  const bwrap = (env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'bwrap'))
    .find((p) => canAccess(p, constants.X_OK));
  if (!bwrap) return fallback('bubblewrap is not installed: `npm run setup`, or apt-get install bubblewrap');
  const trial = spawnSync(bwrap, [...confinement([], process.cwd()), 'true'], { timeout: 5_000, encoding: 'utf8' });
  if (trial.status !== 0)
    return fallback(
      `bubblewrap cannot start here (${(trial.stderr || trial.error?.message || `exit ${trial.status}`).trim()}): user namespaces may be off`,
    );
  return {
    kind: 'bubblewrap',
    bwrap,
    detail: `bubblewrap (${bwrap}): read-only filesystem but the deploy root and a private temp folder, loopback to the stack's ports only, no capabilities`,
  };
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** For tests: detect again. */
export function forgetSandboxMode(): void {
  known = undefined;
}

/** Unix sockets a read-only bind leaves reachable that would let a deployer out (Docker's daemon). */
const HIDDEN_SOCKETS = ['/run/docker.sock', '/var/run/docker.sock', '/run/containerd/containerd.sock'];

/**
 * bwrap's arguments: `/` read-only, `writable` read-write, fresh /dev and /proc, the daemons'
 * sockets hidden, a network namespace, no capabilities.
 */
export function confinement(writable: readonly string[], cwd: string, exists: (p: string) => boolean = existsSync): string[] {
  return [
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    ...[...new Set(HIDDEN_SOCKETS.filter(exists).map(real))].flatMap((p) => ['--ro-bind', '/dev/null', p]),
    ...writable.flatMap((d) => ['--bind', d, d]),
    '--unshare-net',
    '--unshare-ipc',
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    '--chdir',
    cwd,
  ];
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
