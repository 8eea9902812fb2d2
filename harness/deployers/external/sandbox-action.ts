import { readdirSync, readFileSync } from 'node:fs';
import type { SandboxUser } from '../../io/unprivileged.ts';
import { SANDBOX_NPROC } from './sandbox.ts';

/** One action in the bubblewrap sandbox: how many processes it may have, what it left running. */

/**
 * The process limit of an action (RLIMIT_NPROC counts every process and thread of the real user,
 * and does not bind root): SANDBOX_NPROC for the sandbox's own user, or that many more than an
 * unprivileged user running skew already has.
 */
export function processLimit(user: SandboxUser | undefined): number {
  if (user) return SANDBOX_NPROC;
  const uid = process.getuid?.();
  let tasks = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      if (new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status)) tasks += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
    } catch {
      // gone meanwhile
    }
  }
  return tasks + SANDBOX_NPROC;
}

/** The lines sandbox-net.mjs prints for each process the action left running, as it stops them. */
export const LEFT_PREFIX = 'skew-sandbox: left running: ';

export function leftRunning(lines: readonly string[]): string[] {
  return lines.filter((l) => l.startsWith(LEFT_PREFIX)).map((l) => l.slice(LEFT_PREFIX.length));
}
