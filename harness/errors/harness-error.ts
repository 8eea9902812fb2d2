/**
 * One error type for everything the harness reports to a user: a stable code, a concrete
 * message, and a hint that says what to do. Codes live in one catalogue so exit codes follow
 * from meaning (invalid input, environment missing, internal bug), never from where it was thrown.
 */
export const ERROR_CODES = {
  // invalid input (exit 64)
  UNKNOWN_SCENARIO: 'input',
  UNKNOWN_DEPLOYER: 'input',
  INVALID_OPTION: 'input',
  INVALID_SCENARIO: 'input',
  INVALID_CONFIG: 'input',
  // a runs/.kept record `skew down` cannot use (not JSON, a pid that is no process id)
  INVALID_KEPT_RECORD: 'input',
  // a folder `skew judge` cannot judge again (no judge.json or history, a newer history schema)
  INVALID_RUN_FOLDER: 'input',
  INVALID_APP: 'input',
  UNSUPPORTED_APP: 'input',
  FAULT_NOT_SUPPORTED: 'input',
  // a fault could not do what the scenario asked here (the step is incomplete, the run inconclusive)
  FAULT_NOT_APPLIED: 'input',
  APP_NOT_INSTALLED: 'environment',
  // environment missing or broken (exit 69)
  NO_BROWSER: 'environment',
  NO_NGINX: 'environment',
  NO_DOCKER: 'environment',
  NO_NJS: 'environment',
  BUILD_FAILED: 'environment',
  PORT_UNAVAILABLE: 'environment',
  ORIGIN_FAILED: 'environment',
  CDN_FAILED: 'environment',
  RUNS_FOLDER_UNUSABLE: 'environment',
  // `skew init` could not write its files (what it had written is removed)
  INIT_FAILED: 'environment',
  PROBE_TIMEOUT: 'environment',
  // something the harness waited for did not happen
  WAIT_TIMEOUT: 'environment',
  // a deployer under test misbehaved: the run is judged inconclusive, never a crash
  DEPLOYER_FAILED: 'deployer',
  // the command's answer could not be written to stdout (exit 69)
  OUTPUT_LOST: 'environment',
  // a bug in the harness itself (exit 70)
  INTERNAL: 'internal',
  // process.exit called by a module deployer or a config file while a command ran (exit 70)
  EXIT_CALLED: 'internal',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorKind = (typeof ERROR_CODES)[ErrorCode];

export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, hint: string, options: { cause?: unknown; details?: string[] } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.hint = hint;
    this.details = options.details ?? [];
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code];
  }
}

export function isHarnessError(e: unknown): e is HarnessError {
  return e instanceof HarnessError;
}

/** Human text for a terminal: code, message, the hint, and any detail lines (e.g. last log lines). */
export function formatError(e: unknown): string {
  if (!isHarnessError(e)) return `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  const lines = [`error ${e.code}: ${e.message}`, `hint: ${e.hint}`];
  for (const d of e.details) lines.push(`  | ${d}`);
  return lines.join('\n');
}
