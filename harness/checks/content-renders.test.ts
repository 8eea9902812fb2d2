import { describe, expect, it } from 'vitest';
import { input, versions } from '../../test/check-history.ts';
import { contentRenders } from './content-renders.ts';

describe('content-renders', () => {
  it('fails on a silently stuck next/dynamic and lists the failed requests', () => {
    const r = contentRenders.judge({
      events: [
        {
          t: 100,
          type: 'response',
          session: 'pages-a',
          url: 'http://h/_next/static/chunks/d.js',
          resource: 'script',
          status: 404,
          cache: 'MISS',
          age: '0',
          deployment: null,
        },
        {
          t: 4100,
          type: 'action',
          session: 'pages-a',
          action: 'renderDynamic',
          target: 'dynamic-button',
          outcome: 'missing',
          version: 'A',
          waitedMs: 4050,
          detail: 'waited 4000 ms for [data-testid="dynamic-result"]',
        },
      ],
      versions,
    });
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toContain('404 /_next/static/chunks/d.js');
  });

  it('passes when every action showed its content', () => {
    expect(
      contentRenders.judge(
        input({ type: 'action', session: 's', action: 'lazyLoad', target: 'lazy-button', outcome: 'ok', version: 'A', waitedMs: 30 }),
      ).verdict,
    ).toBe('pass');
  });
});
