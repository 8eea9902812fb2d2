import { describe, expect, it } from 'vitest';
import { input, open } from '../../test/check-history.ts';
import { noChunkLoadError } from './no-chunk-load-error.ts';

describe('no-chunk-load-error', () => {
  it('fires on a Turbopack ChunkLoadError and names the session, the URL and the 404 (negative control)', () => {
    const r = noChunkLoadError.judge(
      input(
        open('app-a'),
        {
          type: 'response',
          session: 'app-a',
          url: 'http://127.0.0.1:1/_next/static/chunks/x.js?dpl=a-1',
          resource: 'script',
          status: 404,
          cache: 'MISS',
          age: '0',
          deployment: null,
        },
        {
          type: 'pageerror',
          session: 'app-a',
          message: 'ChunkLoadError: Failed to load chunk /_next/static/chunks/x.js?dpl=a-1 from module 7',
        },
      ),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence.join('\n')).toMatch(/session app-a.*chunk-load-error for \/_next\/static\/chunks\/x\.js\?dpl=a-1/);
    expect(r.evidence.join('\n')).toContain('404 /_next/static/chunks/x.js?dpl=a-1');
  });

  it('passes when errors are unrelated, and is inconclusive with no session', () => {
    expect(noChunkLoadError.judge(input(open('a'), { type: 'console-error', session: 'a', message: 'net::ERR_ABORTED' })).verdict).toBe(
      'pass',
    );
    expect(noChunkLoadError.judge(input()).verdict).toBe('inconclusive');
  });
});
