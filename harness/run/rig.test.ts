import { describe, expect, it } from 'vitest';
import type { Stamped } from '../core/history.ts';
import { troubledSessions } from './rig.ts';

const at = (e: object, t = 0) => ({ t, ...e }) as Stamped;

describe('troubledSessions (whose Playwright trace is kept)', () => {
  it('names sessions with a page error, a hard reload, a failed action or a failing /_next request', () => {
    const events = [
      at({ type: 'pageerror', session: 'a', message: 'ChunkLoadError: Loading chunk 3 failed' }),
      at({ type: 'hard-reload', session: 'b', url: 'http://x/', version: 'B', during: 'visit /' }),
      at({ type: 'action', session: 'c', action: 'lazyLoad', target: 'load', outcome: 'missing', version: 'A', waitedMs: 4000 }),
      at({
        type: 'response',
        session: 'd',
        url: 'http://x/_next/static/chunks/1.js',
        resource: 'script',
        status: 404,
        cache: 'MISS',
        age: null,
        deployment: null,
      }),
      at({
        type: 'request-failed',
        session: 'e',
        url: 'http://x/_next/static/chunks/2.js',
        resource: 'script',
        error: 'net::ERR_CONNECTION_RESET',
      }),
    ];
    expect([...troubledSessions(events)].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('leaves out sessions that only saw successes, a 404 page outside /_next, or an aborted page request', () => {
    const events = [
      at({ type: 'action', session: 'ok', action: 'lazyLoad', target: 'load', outcome: 'ok', version: 'A', waitedMs: 30 }),
      at({
        type: 'response',
        session: 'ok',
        url: 'http://x/_next/static/chunks/1.js',
        resource: 'script',
        status: 200,
        cache: 'HIT',
        age: '3',
        deployment: null,
      }),
      at({
        type: 'response',
        session: 'page404',
        url: 'http://x/missing',
        resource: 'document',
        status: 404,
        cache: null,
        age: null,
        deployment: null,
      }),
      at({ type: 'request-failed', session: 'aborted', url: 'http://x/items?_rsc=1', resource: 'fetch', error: 'net::ERR_ABORTED' }),
    ];
    expect(troubledSessions(events).size).toBe(0);
  });
});
