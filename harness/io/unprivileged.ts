import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * The unprivileged user skew runs what it does not trust as, when skew itself runs as root: a
 * command deployer (harness/deployers/external/) and the origin nginx that loads the deployer's
 * includes (harness/stack/origin-nginx.ts). No socket, file or process of root's is its.
 */
export interface SandboxUser {
  uid: number;
  gid: number;
}

/** A user id no account has (not nobody's: nginx's workers run as nobody). SKEW_SANDBOX_UID overrides it. */
export const SANDBOX_UID = 47_474;

/** Root drops to SANDBOX_UID (or SKEW_SANDBOX_UID; `off` keeps root, without capabilities); anyone else is already unprivileged. */
export function sandboxUser(env: NodeJS.ProcessEnv = process.env): SandboxUser | undefined {
  if (process.getuid?.() !== 0 || env.SKEW_SANDBOX_UID === 'off') return undefined;
  const uid = env.SKEW_SANDBOX_UID ? Number(env.SKEW_SANDBOX_UID) : SANDBOX_UID;
  return Number.isInteger(uid) && uid > 0 && uid < 2 ** 32 - 1 ? { uid, gid: uid } : { uid: SANDBOX_UID, gid: SANDBOX_UID };
}

/**
 * Makes `dirs` the sandbox user's, everything in them included: the stack writes into the deploy
 * root as root between actions (the app's database, skew's nginx folders), and the deployer must
 * be able to change all of it. Links are changed, never followed.
 */
export async function handOver(user: SandboxUser, dirs: readonly string[]): Promise<void> {
  if (dirs.length) await exec('chown', ['-R', '-h', `${user.uid}:${user.gid}`, '--', ...dirs]);
}

export interface Reach {
  path: string;
  /** r: read it (a folder: list it); x: run it (a folder: enter it). */
  need: 'r' | 'x';
}

/**
 * What `user` cannot reach of `wanted` (a folder above it closed to others, a script only its
 * owner may run): one `sh` as that user, ~5 ms. Empty when everything is reachable.
 */
export function unreachable(user: SandboxUser, wanted: readonly Reach[]): string[] {
  if (!wanted.length) return [];
  const r = spawnSync(
    '/bin/sh',
    ['-c', 'while [ $# -gt 0 ]; do test "-$1" "$2" || echo "$2"; shift 2; done', 'sh', ...wanted.flatMap((w) => [w.need, w.path])],
    { ...user, encoding: 'utf8', timeout: 5_000 },
  );
  if (r.status !== 0) return wanted.map((w) => w.path);
  return r.stdout.split('\n').filter(Boolean);
}
