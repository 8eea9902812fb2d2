import { browserBfcache } from './browser-bfcache.ts';
import { browserIdle } from './browser-idle.ts';
import { browserOffline } from './browser-offline.ts';
import { edgeEvict } from './edge-evict.ts';
import { storageHtmlFirst } from './storage-html-first.ts';
import { storageKillAfter } from './storage-kill-after.ts';
import { storageVisibleLate } from './storage-visible-late.ts';
import { HarnessError } from '../errors/harness-error.ts';
import type { Capability, FaultKind } from './fault.ts';
import { originKill } from './origin-kill.ts';
import { originLatency } from './origin-latency.ts';
import { originRefuse } from './origin-refuse.ts';
import { originRestart } from './origin-restart.ts';
import { originReset } from './origin-reset.ts';
import { originSlowStart } from './origin-slow-start.ts';
import { platformApiError } from './platform-api-error.ts';
import { purgeLate } from './purge-late.ts';
import { purgePartial } from './purge-partial.ts';
import { purgeRateLimit } from './purge-rate-limit.ts';
import { purgeServerError } from './purge-server-error.ts';
import { purgeTimeout } from './purge-timeout.ts';

/** Every fault by name. A new fault is one file and one line here. */
export const FAULTS: readonly FaultKind<object>[] = [
  purgeRateLimit,
  purgeServerError,
  purgeTimeout,
  purgeLate,
  purgePartial,
  originRefuse,
  originSlowStart,
  originKill,
  originLatency,
  originReset,
  originRestart,
  edgeEvict,
  browserOffline,
  browserIdle,
  browserBfcache,
  storageKillAfter,
  storageVisibleLate,
  storageHtmlFirst,
  platformApiError,
] as unknown as FaultKind<object>[];

export function faultKind(name: string): FaultKind<object> | undefined {
  return FAULTS.find((f) => f.name === name);
}

/** What the run must start so that these faults can be injected (unknown names are an error). */
export function needsOfFaults(names: readonly string[]): Capability[] {
  return names.flatMap((name) => {
    const kind = faultKind(name);
    if (!kind) throw new HarnessError('INVALID_OPTION', `unknown fault "${name}"`, `use one of: ${FAULTS.map((f) => f.name).join(', ')}`);
    return kind.needs ?? [];
  });
}
