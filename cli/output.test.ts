import { describe, expect, it } from 'vitest';
import { closedFd, closedStdoutWarning, lostAnswer } from './output.ts';

describe('the answer on stdout', () => {
  it('tells a closed fd 1 (Node reopens /dev/null read-write) from a shell’s >/dev/null (write-only)', () => {
    expect(closedFd('/dev/null', 'pos:\t0\nflags:\t02100002\nmnt_id:\t5\n')).toBe(true);
    expect(closedFd('/dev/null', 'pos:\t0\nflags:\t0100001\n')).toBe(false);
    expect(closedFd('pipe:[83996]', 'pos:\t0\nflags:\t02000002\n')).toBe(false);
    expect(closedFd('/dev/null', '')).toBe(false);
  });

  it('is lost on a write error, not on EPIPE (a signal’s business) or when nothing was written', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(lostAnswer({ bytes: 10, error: enospc })).toMatchObject({
      code: 'OUTPUT_LOST',
      kind: 'environment',
      message: 'the answer could not be written to stdout: ENOSPC: no space left on device, write',
    });
    expect(lostAnswer({ bytes: 10, error: Object.assign(new Error('EPIPE'), { code: 'EPIPE' }) })).toBeUndefined();
    expect(lostAnswer({ bytes: 0, error: undefined })).toBeUndefined();
    expect(lostAnswer({ bytes: 10, error: undefined })).toBeUndefined();
  });

  it('only warns of a closed stdout: a parent’s stdio "ignore" looks the same', () => {
    expect(closedStdoutWarning({ bytes: 10, error: undefined }, () => true)).toMatch(/^warning: stdout is closed or discarded/);
    expect(closedStdoutWarning({ bytes: 10, error: undefined }, () => false)).toBeUndefined();
    expect(closedStdoutWarning({ bytes: 0, error: undefined }, () => true)).toBeUndefined();
  });
});
