import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { frameLocation, guardExit, lastExitCall, outsideCaller } from './exit-guard.ts';

const HERE = fileURLToPath(import.meta.url);

describe('exit guard', () => {
  it('makes process.exit a coded error naming its caller, recorded even when the caller catches it', () => {
    const outer = process.exit;
    const guard = guardExit('run');
    let thrown: unknown;
    try {
      process.exit(0);
    } catch (e) {
      thrown = e;
    }
    try {
      process.exit(3); // the second call does not replace the first
    } catch {}
    guard.release();
    expect(process.exit).toBe(outer);
    expect(thrown).toMatchObject({ code: 'EXIT_CALLED', kind: 'internal' });
    expect(guard.called).toBe(thrown);
    expect(lastExitCall()?.message).toContain('process.exit(3)');
    expect(guard.called?.message).toMatch(new RegExp(`^process\\.exit\\(0\\) was called at ${HERE}:\\d+ while \`skew run\` was running`));
  });

  it('nests: process.exit comes back only when the last guard is released', () => {
    const outer = process.exit;
    const a = guardExit('run');
    const b = guardExit('run');
    a.release();
    expect(process.exit).not.toBe(outer);
    expect(() => process.exit(1)).toThrow(/process\.exit\(1\)/);
    b.release();
    expect(process.exit).toBe(outer);
    expect(a.called).toBeUndefined();
    expect(b.called?.code).toBe('EXIT_CALLED');
  });

  it('reads file:line from a V8 stack frame, file URLs as paths, past the frames skipped', () => {
    const stack = [
      'Error',
      '    at process.<anonymous> (file:///w/bin/skew.mjs:30:3)',
      '    at process.emit (node:events:519:28)',
      '    at process.exit (node:internal/process/per_thread:185:15)',
      '    at Object.deploy (file:///tmp/my%20dep/deploy.mjs:4:13)',
    ].join('\n');
    expect(frameLocation(stack)).toBe('/w/bin/skew.mjs:30');
    expect(outsideCaller(stack, '/w/bin/skew.mjs')).toBe('/tmp/my dep/deploy.mjs:4');
    expect(frameLocation('Error\n    at /abs/x.js:7:1')).toBe('/abs/x.js:7');
    // No process.exit below the listener: the loop ran dry (a wrapper's frames are no caller).
    expect(outsideCaller('Error\n    at process.emit (/w/node_modules/signal-exit/index.js:191:3)', '/w/bin/skew.mjs')).toBeUndefined();
  });
});
