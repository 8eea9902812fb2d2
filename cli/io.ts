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

/** Every exit code skew gives and what it means: the one list the docs' reference is generated from. */
export const EXIT_MEANINGS: readonly { code: number; meaning: string }[] = [
  { code: EXIT.pass, meaning: 'every verdict passed (or the command did what it was asked)' },
  { code: EXIT.fail, meaning: 'a verdict failed: the deploy strategy broke users on an older build' },
  {
    code: EXIT.inconclusive,
    meaning:
      'no failure, but at least one run could not be judged (the deployer failed or hung, the control showed the same failure, nothing of the scenario applied to the app)',
  },
  { code: EXIT.usage, meaning: 'invalid input: an unknown scenario, deployer or option, a bad config file or app; nothing was started' },
  {
    code: EXIT.environment,
    meaning: 'something skew needs is missing or broken (browser, nginx, Docker, a build), or its answer could not be written to stdout',
  },
  { code: EXIT.internal, meaning: 'a bug in skew, or a module deployer or config file that called process.exit' },
  { code: 129, meaning: 'stopped by SIGHUP (the terminal closed); everything started was torn down' },
  { code: EXIT.interrupted, meaning: 'stopped by SIGINT (Ctrl-C); everything started was torn down and the report says `interrupted`' },
  { code: 141, meaning: 'the reader of stdout went away (`skew run … | head -1`)' },
  { code: EXIT.terminated, meaning: 'stopped by SIGTERM (also through npx); everything started was torn down' },
];
