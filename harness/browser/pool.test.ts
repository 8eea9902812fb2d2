import type { Browser } from 'playwright';
import { describe, expect, it } from 'vitest';
import { BrowserPool } from './pool.ts';

function fakeBrowser(): Browser & { closed: boolean } {
  const b = {
    closed: false,
    isConnected: () => !b.closed,
    close: async () => {
      b.closed = true;
    },
  };
  return b as unknown as Browser & { closed: boolean };
}

describe('BrowserPool', () => {
  it('launches once per set of options, again after a browser went away, and closes them all', async () => {
    const launched: (Browser & { closed: boolean })[] = [];
    const pool = new BrowserPool(async () => {
      const b = fakeBrowser();
      launched.push(b);
      return b;
    });
    const [a, b] = await Promise.all([pool.get({}), pool.get({})]);
    expect(a).toBe(b);
    expect(await pool.get({ bfcache: true })).not.toBe(a);
    expect(launched).toHaveLength(2);
    await a.close();
    expect(await pool.get({})).not.toBe(a);
    expect(launched).toHaveLength(3);
    await pool.close();
    expect(launched.every((l) => l.closed)).toBe(true);
  });
});
