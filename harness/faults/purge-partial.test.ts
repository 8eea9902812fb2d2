import { describe, expect, it } from 'vitest';
import type { PurgeReach } from '../stack/stack.ts';
import { purgePartial } from './purge-partial.ts';

describe('purge-partial', () => {
  /** A stack as purge-partial uses it: its locations, its reach and the late purges it flushes. */
  function fakeStack(locations: string[]) {
    const stack = {
      locations,
      purgeReach: (() => 'now') as (l: string) => PurgeReach,
      flushes: 0,
      flushLatePurges: async () => void stack.flushes++,
    };
    return { stack, ctx: { stack } as never };
  }

  it('defaults to never reaching the slow locations; delayMs within 0..600 s; strict', () => {
    expect(purgePartial.params.parse({})).toEqual({ delayMs: 0 });
    expect(purgePartial.params.parse({ locations: ['iad'], delayMs: 600_000 })).toEqual({ locations: ['iad'], delayMs: 600_000 });
    for (const bad of [
      { delayMs: -1 },
      { delayMs: 600_001 },
      { delayMs: 1.5 },
      { locations: [] },
      { locations: [''] },
      { location: 'iad' },
    ]) {
      expect(purgePartial.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(purgePartial.label({ delayMs: 0 })).toBe('purges reach all but the first location never');
    expect(purgePartial.label({ locations: ['iad', 'syd'], delayMs: 5000 })).toBe('purges reach iad, syd 5000 ms late');
  });

  it('makes every location but the first never see a purge by default', async () => {
    const { stack, ctx } = fakeStack(['fra', 'iad', 'syd']);
    await purgePartial.inject(ctx, { delayMs: 0 });
    expect(['fra', 'iad', 'syd'].map((l) => stack.purgeReach(l))).toEqual(['now', 'never', 'never']);
  });

  it('delays the named locations by delayMs, leaving the others at once', async () => {
    const { stack, ctx } = fakeStack(['fra', 'iad', 'syd']);
    await purgePartial.inject(ctx, { locations: ['iad'], delayMs: 6000 });
    expect(stack.purgeReach('fra')).toBe('now');
    expect(stack.purgeReach('iad')).toEqual({ delayMs: 6000 });
    expect(stack.purgeReach('syd')).toBe('now');
  });

  it('heals: every location at once again, and late purges flushed', async () => {
    const { stack, ctx } = fakeStack(['fra', 'iad']);
    const heal = await purgePartial.inject(ctx, { delayMs: 6000 });
    expect(stack.purgeReach('iad')).toEqual({ delayMs: 6000 });
    expect(stack.flushes).toBe(0);
    await heal();
    expect(stack.purgeReach('fra')).toBe('now');
    expect(stack.purgeReach('iad')).toBe('now');
    expect(stack.flushes).toBe(1);
  });

  it('throws for an unknown location, naming the known ones, and leaves the reach alone', async () => {
    const { stack, ctx } = fakeStack(['fra', 'iad']);
    await expect(purgePartial.inject(ctx, { locations: ['iad', 'lhr'], delayMs: 0 })).rejects.toThrow(
      'purge-partial: no edge location "lhr" (the scenario\'s: fra, iad)',
    );
    expect(stack.purgeReach('iad')).toBe('now');
  });

  it('throws on a single-location stack (nothing to be partial about)', async () => {
    const { stack, ctx } = fakeStack(['edge']);
    await expect(purgePartial.inject(ctx, { delayMs: 0 })).rejects.toThrow(
      'purge-partial needs a scenario with two or more edge locations',
    );
    expect(stack.purgeReach('edge')).toBe('now');
  });
});
