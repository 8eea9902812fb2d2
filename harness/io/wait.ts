import { HarnessError } from '../errors/harness-error.ts';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Last log lines of the part we waited on, shown when the wait fails. */
  logs?: () => string[];
  hint?: string;
}

/**
 * A named wait: polls `probe` until it returns a value other than undefined/false, or fails
 * with an error that says what it waited for, for how long, the last probe error, and the logs
 * of the part that did not come up. Bounded by `timeoutMs`; never a bare sleep.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: WaitOptions,
): Promise<T> {
  const started = Date.now();
  const interval = opts.intervalMs ?? 25;
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() - started >= opts.timeoutMs) break;
    // Gentle backoff capped low: probes here are loopback requests or file reads, cheap
    // enough that detecting readiness quickly matters more than the extra polls.
    await delay(Math.min(interval * 2 ** Math.min(attempt, 2), 60));
  }
  const details = [
    ...(lastError ? [`last attempt: ${lastError instanceof Error ? lastError.message : String(lastError)}`] : []),
    ...(opts.logs?.().slice(-20) ?? []),
  ];
  throw new HarnessError(
    'WAIT_TIMEOUT',
    `timed out after ${opts.timeoutMs} ms waiting for ${what}`,
    opts.hint ?? 'see the log lines below for what the part printed',
    { details },
  );
}

/** Poll pacing inside named waits only. */
function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
