import { HarnessError } from '../errors/harness-error.ts';

/** One part of n of a list: `--shard 2/3` is { current: 2, total: 3 }. */
export interface Shard {
  current: number;
  total: number;
}

/** `i/n` with 1 ≤ i ≤ n ≤ 1000, as Playwright's `--shard` takes it; a coded error otherwise. */
export function parseShard(text: string, from = '--shard'): Shard {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  const current = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || current < 1 || total < 1 || total > 1000 || current > total)
    throw new HarnessError(
      'INVALID_OPTION',
      `${from} = ${JSON.stringify(text)} is not a shard: expected i/n with 1 ≤ i ≤ n ≤ 1000`,
      'give this runner its part, e.g. --shard 1/3 on the first of three runners (the same split as playwright test --shard)',
    );
  return { current, total };
}

/**
 * The shard's contiguous part of `items`, split as Playwright splits tests (filterForShard in
 * its runner): each shard gets ⌊length/total⌋ items and the first `length mod total` shards one
 * more, so the shards of one list cover it exactly once, in order.
 */
export function shardOf<T>(items: readonly T[], shard: Shard): T[] {
  const size = Math.floor(items.length / shard.total);
  const extraOne = items.length - size * shard.total;
  const i = shard.current - 1;
  const from = size * i + Math.min(extraOne, i);
  return items.slice(from, from + size + (i < extraOne ? 1 : 0));
}
