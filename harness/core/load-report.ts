/** What `--load` measured (harness/load/): recorded in the history, judged by the check load-errors. */

/** What one request of the load ended in. */
export type LoadOutcome = 'ok' | 'http-404' | 'http-4xx' | 'http-5xx' | 'refused' | 'reset' | 'timeout' | 'other-error';

export interface LoadPhase {
  phase: string;
  requests: number;
  /** Requests whose reused keep-alive connection was reset and that succeeded on the one retry a browser makes. */
  retried: number;
  errors: Partial<Record<Exclude<LoadOutcome, 'ok'>, number>>;
  /** Latency percentiles in ms. */
  p50: number;
  p95: number;
  p99: number;
  /** Requests per second while the phase lasted. */
  rps: number;
}

export interface LoadReport {
  clients: number;
  requests: number;
  errors: Partial<Record<Exclude<LoadOutcome, 'ok'>, number>>;
  /** Up to 20 failed requests, at most 4 of each phase and kind, for the evidence. */
  samples: string[];
  phases: LoadPhase[];
  ms: number;
}
