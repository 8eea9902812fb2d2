import type { ChildProcess } from 'node:child_process';

/**
 * Every child process the harness starts is tracked here, so that even a crash or an exit
 * nobody planned for kills them: the 'exit' handler runs synchronously and sends SIGKILL to
 * each live child (to its whole process group when it was spawned detached).
 * Orderly shutdown (SIGINT, test teardown) goes through the owners' own stop() first.
 */
interface Tracked {
  child: ChildProcess;
  name: string;
  group: boolean;
}

const live = new Set<Tracked>();
let installed = false;

export function trackChild(child: ChildProcess, name: string, opts: { group?: boolean } = {}): void {
  const t: Tracked = { child, name, group: opts.group ?? false };
  live.add(t);
  child.once('exit', () => live.delete(t));
  if (!installed) {
    installed = true;
    process.once('exit', killAllSync);
  }
}

/** Names of children still running (for leak assertions in tests). */
export function liveChildren(): string[] {
  return [...live].map((t) => `${t.name} pid ${t.child.pid}`);
}

export function killAllSync(): void {
  for (const t of live) {
    const pid = t.child.pid;
    if (!pid) continue;
    try {
      process.kill(t.group ? -pid : pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** A signal to a process group; false when there is none (not started, or gone). */
export function signalGroup(pid: number | undefined, sig: NodeJS.Signals): boolean {
  if (!pid) return false;
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return false; // already gone
  }
}
