import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { HarnessError } from '../../errors/harness-error.ts';
import { shellArg } from '../../io/shell.ts';

/** Line 1 of a script, as the kernel reads it: `#!interpreter [one argument]`. */
export interface Shebang {
  interpreter: string;
  arg?: string;
}

/** The kernel reads at most this much of line 1 (BINPRM_BUF_SIZE). */
const LINE_MAX = 256;

export function parseShebang(head: string): Shebang | undefined {
  if (!head.startsWith('#!')) return undefined;
  const line = head.slice(2).split('\n')[0]!;
  // Only spaces and tabs separate: a '\r' stays part of the name, as the kernel keeps it.
  const m = /^[ \t]*([^ \t]+)(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
  if (!m) return undefined;
  return m[2] ? { interpreter: m[1]!, arg: m[2] } : { interpreter: m[1]! };
}

/**
 * Why the script's line 1 cannot start it, or undefined. Without this, `sh` says the *script*
 * is "not found" (exit 127) when the missing file is its interpreter.
 */
export async function interpreterProblem(
  script: string,
  env: Record<string, string | undefined> = process.env,
): Promise<HarnessError | undefined> {
  const handle = await open(script, 'r').catch(() => undefined);
  if (!handle) return undefined; // unreadable: the run says so
  const buf = Buffer.alloc(LINE_MAX);
  const { bytesRead } = await handle.read(buf, 0, LINE_MAX, 0).finally(() => handle.close());
  const shebang = parseShebang(buf.subarray(0, bytesRead).toString('latin1'));
  if (!shebang) return undefined; // no #!: sh runs it as a shell script
  const { interpreter, arg } = shebang;
  const refuse = (why: string, hint: string) =>
    new HarnessError('INVALID_OPTION', `deployer ${script} cannot start: ${why}`, hint, {
      details: [`line 1: #!${interpreter}${arg ? ` ${arg}` : ''}`],
    });
  if (/\r/.test(interpreter + (arg ?? '')))
    return refuse(
      'its line 1 ends in a carriage return (Windows line endings), so the interpreter looked for is named with a \\r at its end',
      `convert it to Unix line endings: sed -i 's/\\r$//' ${shellArg(script)} (or dos2unix)`,
    );
  if (!isAbsolute(interpreter))
    return refuse(
      `the interpreter named on line 1, ${interpreter}, is not an absolute path (it would be looked for in the deploy root, not on PATH)`,
      `name it by its full path, or through env: #!/usr/bin/env ${interpreter}`,
    );
  const missing = await executableProblem(interpreter);
  if (missing)
    return refuse(
      `the interpreter named on line 1, ${interpreter}, ${missing}`,
      `install it, or change line 1 to an interpreter this machine has (e.g. #!/bin/sh, or #!/usr/bin/env ${basename(interpreter)})`,
    );
  // `#!/usr/bin/env bash`: env looks the program up on PATH.
  const program = basename(interpreter) === 'env' ? envProgram(arg) : undefined;
  if (program && !(await onPath(program, env)))
    return refuse(
      `the program line 1 runs through ${interpreter}, ${program}, is not on PATH`,
      `install ${program}, or change line 1 to an interpreter this machine has (PATH=${env.PATH ?? ''})`,
    );
  return undefined;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The program `env` runs: the first word that is no option and no VAR=value (`-S` splits the rest). */
export function envProgram(arg: string | undefined): string | undefined {
  for (const word of (arg ?? '').split(/[ \t]+/)) {
    if (!word || word.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    return word;
  }
  return undefined;
}

async function executableProblem(path: string): Promise<string | undefined> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return 'does not exist';
  if (!st.isFile()) return 'is not a file';
  return access(path, constants.X_OK).then(
    () => undefined,
    () => 'is not executable',
  );
}

async function onPath(program: string, env: Record<string, string | undefined>): Promise<boolean> {
  if (program.includes('/')) return !(await executableProblem(program));
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir && !(await executableProblem(join(dir, program)))) return true;
  return false;
}
