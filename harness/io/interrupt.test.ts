import { afterEach, describe, expect, it } from 'vitest';
import { interrupt, interruptedBy, onInterrupt, resetInterrupt, signalExitCode } from './interrupt.ts';

afterEach(() => resetInterrupt());

describe('interrupt', () => {
  it('runs each hook once, at the first signal; a hook that throws does not stop the others', () => {
    const ran: string[] = [];
    onInterrupt(() => ran.push('deployer'));
    onInterrupt(() => {
      throw new Error('gone');
    });
    const off = onInterrupt(() => ran.push('unregistered'));
    onInterrupt(() => ran.push('build'));
    off();
    expect(interruptedBy()).toBeUndefined();
    interrupt('SIGTERM');
    interrupt('SIGINT');
    expect(ran).toEqual(['deployer', 'build']);
    expect(interruptedBy()).toBe('SIGTERM');
  });

  it('runs a hook registered after the signal at once (a deployer started during the teardown)', () => {
    interrupt('SIGINT');
    let ran = false;
    onInterrupt(() => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  it('exits as a shell reports a signal: 130 for SIGINT, 143 for SIGTERM', () => {
    expect(signalExitCode('SIGINT')).toBe(130);
    expect(signalExitCode('SIGTERM')).toBe(143);
  });
});
