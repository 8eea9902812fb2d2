import type { LoadReport } from './load-report.ts';
import { HarnessError } from '../errors/harness-error.ts';

/**
 * The recorded history of a run: every step, deployer action, purge, probe and browser event,
 * appended with a timestamp. Checks judge only this record (they never drive anything).
 */
export type HistoryEvent =
  | { type: 'step'; index: number; kind: string; label: string; phase: 'start' | 'end'; error?: string }
  | {
      type: 'deployer';
      deployer: string;
      action: 'deploy' | 'rollback' | 'cleanup';
      version: string;
      deploymentId: string;
      ok: boolean;
      ms: number;
      error?: string;
      refused?: string;
      interrupted?: true;
      /** What the action's command left running when it ended: skew stopped it (docs/deployer-contract.md). */
      left?: string[];
    }
  | { type: 'database'; schema: number | null; after: string }
  | {
      type: 'purge';
      by: string;
      request?: PurgeRecord;
      evicted: string[];
      via?: 'api' | 'direct';
      status?: number;
      errorCode?: number;
      body?: unknown;
      note?: string;
    }
  | {
      type: 'stack';
      current?: string;
      live: string[];
      kept: string[];
      split?: { revisionName: string; percent: number }[];
      /** The rolling world: the releases whose pods answer unpinned requests (two while a rollout mixes them). */
      serving?: string[];
      note?: string;
    }
  | {
      type: 'probe';
      label: string;
      url: string;
      status: number;
      cache: string | null;
      age: string | null;
      deployment: string | null;
      pinned?: string;
      version?: string;
      assetKind?: string;
      origin?: true;
      location?: string;
    }
  | {
      type: 'public-probe';
      path: string;
      status: number;
      cache: string | null;
      age: string | null;
      servedVersion: string | null;
      currentVersion: string | null;
    }
  | {
      type: 'session-open';
      session: string;
      url: string;
      version: string | null;
      deploymentId: string | null;
      expectVersion?: string;
      pinnedBy?: string;
      staleHtmlFrom?: string;
      location?: string;
    }
  | { type: 'clock'; advancedMs: number; offsetMs: number }
  | { type: 'split-probe'; path: string; visitors: number; counts: Record<string, number> }
  | {
      /** What one deployer action did to `current`: how often it replaced it, and the moments it had none. */
      type: 'switch';
      after: string;
      switches: number;
      gaps: { how: 'missing' | 'delete-then-create'; ms: number }[];
    }
  | {
      type: 'bucket';
      after: string;
      uploaded: string[];
      deleted: string[];
      /** Keys outside `<app>/_next/static/` the action deleted (another app's, from the bucket root). */
      deletedOutside?: string[];
    }
  | { type: 'revision'; name: string; deploymentId: string; labels: Record<string, string> }
  | { type: 'traffic'; by: string; table: { revisionName: string; deploymentId: string; percent: number }[] }
  | {
      type: 'request';
      session: string;
      url: string;
      resource: string;
      method: string;
      rsc?: true;
      /** The Server Action the request calls (its `next-action` id). */
      serverAction?: string;
      /** Next's prefetch of a route (`next-router-prefetch: 1`, or `purpose: prefetch` for a data route). */
      prefetch?: true;
      pin?: string;
    }
  | {
      type: 'response';
      session: string;
      url: string;
      resource: string;
      status: number;
      cache: string | null;
      age: string | null;
      deployment: string | null;
      /** The answer to an RSC request (`rsc: 1`) or to a Server Action call (`next-action`). */
      rsc?: true;
      serverAction?: true;
      /** The server did not know the Server Action the request named (`x-nextjs-action-not-found: 1`). */
      actionNotFound?: true;
    }
  | { type: 'request-failed'; session: string; url: string; resource: string; error: string }
  | { type: 'pageerror'; session: string; message: string }
  | { type: 'console-error'; session: string; message: string }
  | { type: 'navigation'; session: string; url: string }
  | { type: 'hard-reload'; session: string; url: string; version: string | null; during: string }
  /** A tab loaded documents on its own without end; skew aborted its further loads (Session's MAX_UNASKED_LOADS). */
  | { type: 'reload-loop-stopped'; session: string; loads: number; during: string }
  | { type: 'fault'; fault: string; id: string; area: string; phase: 'inject' | 'heal' | 'hit'; label: string }
  | { type: 'load'; report: LoadReport }
  | {
      type: 'action';
      session: string;
      action: string;
      target: string;
      outcome: 'ok' | 'missing' | 'error-page';
      version: string | null;
      waitedMs: number;
      /** The build each marked part of the page shows when the action ended (Session.shownParts). */
      shown?: Record<string, string>;
      detail?: string;
    };

export type PurgeRecord = { files: string[] } | { prefixes: string[] } | { hosts: string[] } | { tags: string[] } | { everything: true };

/**
 * `t`: real milliseconds since the run started. `c`: the scenario clock's milliseconds since
 * the run started, present once the clock was advanced (15 "minutes" pass without waiting).
 */
export type Stamped<E extends HistoryEvent = HistoryEvent> = E & { t: number; c?: number };

export type EventOf<T extends HistoryEvent['type']> = Stamped<Extract<HistoryEvent, { type: T }>>;

export class History {
  readonly events: Stamped[] = [];
  private readonly started: number;
  /** How far the scenario clock runs ahead of the real one. */
  private offsetMs = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly onEvent?: (e: Stamped) => void,
  ) {
    this.started = now();
  }

  append(e: HistoryEvent): void {
    const t = this.now() - this.started;
    const stamped = (this.offsetMs ? { t, c: t + this.offsetMs, ...e } : { t, ...e }) as Stamped;
    this.events.push(stamped);
    this.onEvent?.(stamped);
  }

  /** The scenario clock, epoch milliseconds: what deployers are told the time is. */
  clock(): number {
    return this.now() + this.offsetMs;
  }

  /** Moves the scenario clock forward (never back) and records it. */
  advanceClock(ms: number): void {
    if (!(ms > 0))
      throw new HarnessError(
        'INVALID_SCENARIO',
        `the scenario clock only moves forward (got ${ms} ms)`,
        'advance it by a positive duration (90s, 14m, 1h)',
      );
    this.offsetMs += ms;
    this.append({ type: 'clock', advancedMs: ms, offsetMs: this.offsetMs });
  }

  toJSONL(): string {
    return toJSONL(this.events);
  }
}

/** One event per line, as `history.jsonl` holds them. */
export function toJSONL(events: readonly Stamped[]): string {
  return `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
}

/** Scenario time of an event, ms since the run started: equal to real time until the clock moves. */
export function clockOf(e: Stamped): number {
  return e.c ?? e.t;
}

/** Events of one type, typed. */
export function ofType<T extends HistoryEvent['type']>(events: readonly Stamped[], type: T): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}
