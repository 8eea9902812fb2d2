import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeployer } from '../load.ts';
import { envProgram, interpreterProblem, parseShebang } from './shebang.ts';

function script(body: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'skew-shebang-')), 'deploy.sh');
  writeFileSync(p, body);
  chmodSync(p, 0o755);
  return p;
}

describe('a command deployer’s line 1', () => {
  it('is read as the kernel reads it', () => {
    expect(parseShebang('#!/bin/sh\necho')).toEqual({ interpreter: '/bin/sh' });
    expect(parseShebang('#! /usr/bin/env  bash -e \n')).toEqual({ interpreter: '/usr/bin/env', arg: 'bash -e' });
    expect(parseShebang('#!/bin/sh\r\n')).toEqual({ interpreter: '/bin/sh\r' });
    expect(parseShebang('echo hi\n')).toBeUndefined();
    expect(envProgram('-S FOO=1 node --flag')).toBe('node');
    expect(envProgram(undefined)).toBeUndefined();
  });

  it('naming a missing interpreter refuses the deployer saying so, not that the script is not found', async () => {
    const missing = script('#!/usr/bin/nonexistent-sh\necho hi\n');
    await expect(loadDeployer(missing)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: `deployer ${missing} cannot start: the interpreter named on line 1, /usr/bin/nonexistent-sh, does not exist`,
      hint: 'install it, or change line 1 to an interpreter this machine has (e.g. #!/bin/sh, or #!/usr/bin/env nonexistent-sh)',
      details: ['line 1: #!/usr/bin/nonexistent-sh'],
    });
    expect((await interpreterProblem(script('#!/usr/bin/env nonexistent-skew-sh\n')))?.message).toContain(
      'the program line 1 runs through /usr/bin/env, nonexistent-skew-sh, is not on PATH',
    );
    expect((await interpreterProblem(script('#!/bin/sh\r\necho hi\r\n')))?.message).toContain('carriage return (Windows line endings)');
    expect((await interpreterProblem(script('#!/tmp\n')))?.message).toContain('/tmp, is not a file');
    expect((await interpreterProblem(script('#!sh\n')))?.message).toContain('is not an absolute path');
  });

  it('that works, or is absent, is no problem', async () => {
    expect(await interpreterProblem(script('#!/bin/sh\necho hi\n'))).toBeUndefined();
    expect(await interpreterProblem(script('#!/usr/bin/env sh\necho hi\n'))).toBeUndefined();
    expect(await interpreterProblem(script('echo no shebang\n'))).toBeUndefined();
    expect((await loadDeployer(script('#!/bin/sh\necho hi\n'))).name).toBe('deploy.sh');
  });
});
