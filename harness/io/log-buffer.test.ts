import { describe, expect, it } from 'vitest';
import { LogBuffer, MAX_LINE_CHARS } from './log-buffer.ts';

describe('LogBuffer', () => {
  it('passes on the first lines, then one notice, while keeping the last ones for the evidence', () => {
    const shown: string[] = [];
    const out = new LogBuffer(5, (l) => shown.push(l), 3);
    // Megabytes of output, as a deployer with `set -x` over a big rsync prints it.
    for (let i = 1; i <= 100_000; i++) out.push(`line ${i}\n`);
    expect(shown).toEqual([
      'line 1',
      'line 2',
      'line 3',
      '… more output not shown here (after 3 lines); its last 5 lines are kept for the evidence',
    ]);
    expect(out.tail(2)).toEqual(['line 99999', 'line 100000']);
  });

  it('cuts an endless line instead of holding it whole', () => {
    const out = new LogBuffer(10);
    for (let i = 0; i < 1000; i++) out.push('x'.repeat(1000));
    const kept = out.all();
    expect(kept.every((l) => l.length <= MAX_LINE_CHARS + 40)).toBe(true);
    expect(kept.join('').length).toBeLessThan(10 * (MAX_LINE_CHARS + 40) + 2000);
  });

  it('keeps a partial last line for the tail', () => {
    const out = new LogBuffer();
    out.push('a\nb');
    expect(out.tail()).toEqual(['a', 'b']);
  });
});
