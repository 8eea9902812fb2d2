/**
 * The process was asked to stop (SIGINT, SIGTERM): a state every loop checks before it starts
 * more work (the step loop, the workers, the builds), and hooks that must run at once, before
 * any teardown: a deployer's process group is killed first so it stops writing while the stack
 * is taken down. bin/skew.mjs calls `interrupt` from its signal handler.
 */
let by: NodeJS.Signals | undefined;
const hooks = new Map<number, () => void>();
let seq = 0;

export function interrupt(signal: NodeJS.Signals): void {
  if (by) return;
  by = signal;
  for (const hook of [...hooks.values()]) {
    try {
      hook();
    } catch {
      // a hook that fails must not keep the others from running
    }
  }
  hooks.clear();
}

/** The signal that interrupted the process, if one did. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return by;
}

/** Runs `hook` when the process is interrupted (at once if it already was); returns the unregister. */
export function onInterrupt(hook: () => void): () => void {
  if (by) {
    hook();
    return () => {};
  }
  const id = ++seq;
  hooks.set(id, hook);
  return () => void hooks.delete(id);
}

/** Thrown where interrupted work stops: not a failure of anything, never shown as an error. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

export function isInterrupted(e: unknown): e is Interrupted {
  return e instanceof Interrupted;
}

/** The exit code of a process ended by `signal`, as a shell reports it: 128 + the signal number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return ({ SIGTERM: 143, SIGHUP: 129, SIGPIPE: 141 } as Partial<Record<NodeJS.Signals, number>>)[signal] ?? 130;
}

/** For tests: forget an interruption. */
export function resetInterrupt(): void {
  by = undefined;
  hooks.clear();
}
