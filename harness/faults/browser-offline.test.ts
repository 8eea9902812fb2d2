import { describe, expect, it } from 'vitest';
import { browserOffline } from './browser-offline.ts';

describe('browser-offline', () => {
  function fakeSessions(...names: string[]) {
    const calls: [string, boolean][] = [];
    const sessions = new Map(names.map((n) => [n, { setOffline: async (v: boolean) => void calls.push([n, v]) }]));
    return { calls, ctx: { sessions } as never };
  }

  it('takes every open session offline when none is named, and back online at heal', async () => {
    const { calls, ctx } = fakeSessions('s1', 's2');
    const heal = await browserOffline.inject(ctx, {});
    expect(calls).toEqual([
      ['s1', true],
      ['s2', true],
    ]);
    await heal();
    expect(calls.slice(2)).toEqual([
      ['s1', false],
      ['s2', false],
    ]);
  });

  it('takes only the named sessions offline', async () => {
    const { calls, ctx } = fakeSessions('s1', 's2', 's3');
    const heal = await browserOffline.inject(ctx, { sessions: ['s3', 's1'] });
    expect(calls).toEqual([
      ['s3', true],
      ['s1', true],
    ]);
    await heal();
    expect(calls.slice(2)).toEqual([
      ['s3', false],
      ['s1', false],
    ]);
  });

  it('throws for an unknown session, listing the open ones, before touching any', async () => {
    const { calls, ctx } = fakeSessions('s1', 's2');
    await expect(browserOffline.inject(ctx, { sessions: ['s1', 'nope'] })).rejects.toThrow('no open session named "nope" (open: s1, s2)');
    expect(calls).toEqual([]);
    await expect(browserOffline.inject(fakeSessions().ctx, { sessions: ['s1'] })).rejects.toThrow('(open: none)');
  });

  it('params and label', () => {
    expect(browserOffline.params.parse({})).toEqual({});
    expect(browserOffline.label({})).toBe('every open session offline');
    expect(browserOffline.label({ sessions: ['s1', 's2'] })).toBe('s1, s2 offline');
    for (const bad of [{ sessions: [] }, { sessions: [''] }, { sessions: 's1' }, { session: ['s1'] }]) {
      expect(browserOffline.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
