import { writeStdout } from './output.ts';

/** Process globals behind one object, so commands run in-process in tests (nothing exits). */
export interface Io {
  env: Record<string, string | undefined>;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress may then be more compact). */
  isTTY: boolean;
}

export function processIo(): Io {
  return {
    env: process.env,
    cwd: process.cwd(),
    out: writeStdout,
    err: (t) => void process.stderr.write(t),
    isTTY: !!process.stderr.isTTY,
  };
}

/** Exit codes by meaning (sysexits where one fits). */
export const EXIT = {
  pass: 0,
  fail: 1,
  inconclusive: 2,
  usage: 64,
  environment: 69,
  internal: 70,
  interrupted: 130,
  terminated: 143,
} as const;
