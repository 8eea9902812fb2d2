import { describe, expect, it } from 'vitest';
import { parseShard, shardOf } from './shard.ts';

describe('shards', () => {
  it('splits as Playwright does: contiguous parts, the first ones one longer, covering the list once', () => {
    const items = Array.from({ length: 35 }, (_, i) => i);
    const parts = [1, 2, 3, 4].map((current) => shardOf(items, { current, total: 4 }));
    expect(parts.map((p) => p.length)).toEqual([9, 9, 9, 8]);
    expect(parts.flat()).toEqual(items);
    expect(shardOf([1, 2], { current: 3, total: 3 })).toEqual([]);
  });

  it('refuses what is not i/n with 1 ≤ i ≤ n', () => {
    expect(parseShard('2/3')).toEqual({ current: 2, total: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '3', 'a/b', '1/3/4', ''])
      expect(() => parseShard(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
