import { interrupt, resetInterrupt } from '../io/interrupt.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWorkers, runInWorkers } from './workers.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runInWorkers', () => {
  it('runs at most n at once and returns results in the items’ order', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const out = await runInWorkers([30, 5, 20, 1, 10], 2, async (ms, i, w) => {
      running++;
      peak = Math.max(peak, running);
      expect(w).toBeLessThan(2);
      await tick(ms);
      seen.push(i);
      running--;
      return ms * 2;
    });
    expect(out).toEqual([60, 10, 40, 2, 20]);
    expect(peak).toBe(2);
    expect(seen).not.toEqual([0, 1, 2, 3, 4]);
  });

  it('starts nothing new after a failure, lets the running finish, and throws the first error', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const run = runInWorkers([0, 1, 2, 3], 2, async (_, i) => {
      started.push(i);
      if (i === 0) throw new Error('boom');
      await tick(10);
      ended.push(i);
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([0, 1]);
    expect(ended).toEqual([1]);
  });
});

describe('runInWorkers after a signal', () => {
  afterEach(() => resetInterrupt());

  it('starts no item once the process is interrupted; the running ones end', async () => {
    const started: number[] = [];
    const results = await runInWorkers([0, 1, 2, 3, 4], 2, async (_, i) => {
      started.push(i);
      if (i === 1) interrupt('SIGINT');
      await tick(5);
      return i;
    });
    expect(started).toEqual([0, 1]);
    expect(results.filter((r) => r !== undefined)).toEqual([0, 1]);
  });
});

describe('defaultWorkers', () => {
  it('one per core, fewer when memory is short, never none', () => {
    const GiB = 1024 ** 3;
    expect(defaultWorkers({ cores: 2, freeMemBytes: 20 * GiB })).toBe(2);
    expect(defaultWorkers({ cores: 8, freeMemBytes: 5 * GiB })).toBe(2);
    expect(defaultWorkers({ cores: 4, freeMemBytes: 0.5 * GiB })).toBe(1);
  });
});
