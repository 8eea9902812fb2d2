import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellArg } from './shell.ts';

describe('shellArg', () => {
  it('leaves plain words alone and quotes anything /bin/sh would split or expand', () => {
    expect(shellArg('roll-forward')).toBe('roll-forward');
    expect(shellArg('./fuzz/fuzz-x-1.json')).toBe('./fuzz/fuzz-x-1.json');
    for (const s of ['/my apps/shop', "it's", '$HOME', 'a;b', '*.json', '']) {
      // What the shell hands the command back is the string itself.
      expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellArg(s)}`], { encoding: 'utf8' })).toBe(s);
    }
  });
});
