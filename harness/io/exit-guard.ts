import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errors/harness-error.ts';

/**
 * While a command runs, `process.exit` is an error that names its caller: a module deployer or
 * a config file that exits must not end `skew run` with exit 0 and no verdict. Thrown, so the
 * run's own teardown and report still happen; recorded, so a caller that catches it still
 * makes the command an internal error (exit 70). bin/skew.mjs exits through `exitNow`.
 */
const realExit: (code?: number | string | null) => never = process.exit.bind(process);
const active = new Set<Guard>();
/** process.exit as it was when the first guard went on (a test runner may have its own). */
let before = process.exit;
let last: HarnessError | undefined;

export interface ExitGuard {
  /** The first process.exit called while this guard was on. */
  readonly called: HarnessError | undefined;
  release(): void;
}
type Guard = ExitGuard & { record(e: HarnessError): void };

/** Puts the guard on until `release()`; guards nest (the last release puts process.exit back). */
export function guardExit(command: string): ExitGuard {
  let called: HarnessError | undefined;
  const guard: Guard = {
    get called() {
      return called;
    },
    record(e) {
      called ??= e;
    },
    release() {
      if (active.delete(guard) && !active.size) process.exit = before;
    },
  };
  if (!active.size) before = process.exit;
  active.add(guard);
  process.exit = function exit(code?: number | string | null): never {
    const e = exitCalled(code, callerOf(exit), command);
    last = e;
    for (const g of active) g.record(e);
    throw e;
  };
  return guard;
}

/** The process.exit call recorded last (for bin/skew.mjs's exit hook), if any. */
export function lastExitCall(): HarnessError | undefined {
  return last;
}

/** The real process.exit: only bin/skew.mjs ends the process. */
export function exitNow(code: number): never {
  return realExit(code);
}

export function exitCalled(code: number | string | null | undefined, caller: string | undefined, command: string): HarnessError {
  return new HarnessError(
    'EXIT_CALLED',
    `process.exit(${code ?? ''}) was called ${caller ? `at ${caller} ` : ''}while \`skew ${command}\` was running: a deployer module or config must not end skew's process`,
    'throw an Error to fail an action, or return to finish it: skew then judges the run and tears it down',
  );
}

/** `file:line` of the first frame above `fn` (a file URL made a path), from a fresh stack. */
export function callerOf(fn: (...args: never[]) => unknown): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 10;
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, fn);
  Error.stackTraceLimit = limit;
  return frameLocation(holder.stack ?? '');
}

/** The first stack frame's `file:line` not skipped: `at f (file:///a/b.mjs:3:9)` → `/a/b.mjs:3`. */
export function frameLocation(stack: string, skip: (file: string) => boolean = () => false): string | undefined {
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:.*? \()?(.+?):(\d+):\d+\)?$/.exec(line);
    if (!m) continue;
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (!skip(file)) return `${file}:${m[2]}`;
  }
  return undefined;
}

/**
 * In an 'exit' listener: who called the real process.exit (the frame below Node's own exit),
 * past Node's frames and `self`'s; undefined when no process.exit ended it (nothing left to do).
 */
export function outsideCaller(stack: string, self: string): string | undefined {
  const at = stack.indexOf('node:internal/process/per_thread');
  if (at === -1) return undefined;
  return frameLocation(stack.slice(stack.indexOf('\n', at) + 1), (file) => file.startsWith('node:') || file === self);
}
