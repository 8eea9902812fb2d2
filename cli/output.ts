import { readFileSync, readlinkSync } from 'node:fs';
import { HarnessError } from '../harness/errors/harness-error.ts';

/**
 * What became of the answer written to stdout: a command whose answer was lost (a full disk,
 * a closed stdout) must not exit 0. Filled by processIo's `out` and bin/skew.mjs's stdout
 * 'error' handler; bin/skew.mjs asks `lostAnswer` before it exits.
 */
export const stdoutWrites: { bytes: number; error: NodeJS.ErrnoException | undefined } = { bytes: 0, error: undefined };

export function writeStdout(text: string): void {
  stdoutWrites.bytes += text.length;
  process.stdout.write(text, (e) => {
    if (e) stdoutWrites.error ??= e;
  });
}

/** Resolves once everything written to stdout so far is out (a pipe's slow reader has it all). */
export function flushStdout(): Promise<void> {
  if (process.stdout.destroyed || !process.stdout.writable) return Promise.resolve();
  return new Promise((res) => process.stdout.write('', () => res()));
}

/**
 * Why the answer written to stdout did not arrive: an error (exit 69) when a write failed (a full
 * device); undefined when it arrived, nothing was written, or the reader left (EPIPE: SIGPIPE's
 * business, handled as a signal).
 */
export function lostAnswer(writes = stdoutWrites): HarnessError | undefined {
  if (!writes.bytes || !writes.error || writes.error.code === 'EPIPE') return undefined;
  return new HarnessError(
    'OUTPUT_LOST',
    `the answer could not be written to stdout: ${writes.error.message}`,
    'write it somewhere with room (a full disk or /dev/full takes nothing), or send it to /dev/null on purpose',
  );
}

/**
 * A warning, never a failure, when stdout looks closed (`>&-`): its writes do not fail (Node put
 * /dev/null there), and a parent that spawned skew with `stdio: 'ignore'` looks exactly the same
 * (measured: a bench run of `skew --help` that way exited 69 while it made it an error).
 */
export function closedStdoutWarning(writes = stdoutWrites, closed = stdoutWasClosed): string | undefined {
  if (!writes.bytes || writes.error || !closed()) return undefined;
  return 'warning: stdout is closed or discarded (>&- or a parent\'s stdio "ignore"): the answer went nowhere; the exit code still says how it ended';
}

/**
 * Node opens /dev/null read-write on a closed fd 1 at start-up; a shell's `>/dev/null` opens it
 * write-only. So fd 1 on /dev/null, read-write, was closed (a parent's `stdio: 'ignore'` looks
 * the same: Node cannot tell them apart). Linux only: elsewhere, false.
 */
export function stdoutWasClosed(): boolean {
  try {
    return closedFd(readlinkSync('/proc/self/fd/1'), readFileSync('/proc/self/fdinfo/1', 'utf8'));
  } catch {
    return false;
  }
}

/** From /proc/self/fd/1's target and /proc/self/fdinfo/1: /dev/null opened O_RDWR. */
export function closedFd(target: string, fdinfo: string): boolean {
  const flags = /^flags:\s*([0-7]+)$/m.exec(fdinfo)?.[1];
  return target === '/dev/null' && flags !== undefined && (Number.parseInt(flags, 8) & 3) === 2;
}
