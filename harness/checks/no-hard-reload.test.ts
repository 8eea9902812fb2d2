import { describe, expect, it } from 'vitest';
import { input, open } from '../../test/check-history.ts';
import { noHardReload } from './no-hard-reload.ts';

describe('no-hard-reload', () => {
  it('reports each hard reload as a finding', () => {
    const r = noHardReload.judge(
      input(open('app-a'), { type: 'hard-reload', session: 'app-a', url: 'http://h/about', version: 'B', during: 'navigate link-about' }),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe('session app-a: hard reload during "navigate link-about" → now at /about showing version B');
  });
  it('passes without reloads', () => expect(noHardReload.judge(input(open('a'))).verdict).toBe('pass'));

  it('names the request that caused it, what it lacked and the fix (a Pages Router data request of Next 14 carries no deployment id)', () => {
    const url = 'http://127.0.0.1:1/_next/data/build-a/posts/hello.json';
    const r = noHardReload.judge(
      input(
        open('tab'),
        { type: 'request', session: 'tab', url, resource: 'fetch', method: 'GET' },
        { type: 'response', session: 'tab', url, resource: 'fetch', status: 404, cache: 'MISS', age: null, deployment: 'b-2' },
        { type: 'hard-reload', session: 'tab', url: 'http://127.0.0.1:1/posts/hello', version: 'B', during: 'navigate link-post' },
      ),
    );
    expect(r.evidence).toEqual([
      'session tab: hard reload during "navigate link-post" → now at /posts/hello showing version B',
      "  caused by GET /_next/data/build-a/posts/hello.json → 404 from deployment b-2: it carried no deployment id (neither x-deployment-id nor ?dpl=); this Next sends data requests without a deployment id: route /_next/data/build-a/… by the build id in its path to that build's server (an nginx map on $uri), or upgrade to a Next that sends x-deployment-id on them",
    ]);
  });

  it("names no cause that is another session's or too old", () => {
    const url = 'http://127.0.0.1:1/_next/data/build-a/x.json';
    const r = noHardReload.judge(
      input(
        open('tab'),
        { type: 'response', session: 'other', url, resource: 'fetch', status: 404, cache: 'MISS', age: null, deployment: null },
        { type: 'hard-reload', session: 'tab', url: 'http://127.0.0.1:1/x', version: 'B', during: 'navigate' },
      ),
    );
    expect(r.evidence).toHaveLength(1);
  });

  it('names an RSC answer from another build as the cause (Next compares deployment ids)', () => {
    const url = 'http://127.0.0.1:1/about?_rsc=x';
    const r = noHardReload.judge(
      input(
        open('tab'),
        { type: 'request', session: 'tab', url, resource: 'fetch', method: 'GET', rsc: true, pin: 'a-1' },
        {
          type: 'response',
          session: 'tab',
          url,
          resource: 'fetch',
          status: 200,
          cache: 'DYNAMIC',
          age: null,
          deployment: 'b-2',
          rsc: true,
        },
        { type: 'hard-reload', session: 'tab', url: 'http://127.0.0.1:1/about', version: 'B', during: 'visit /about' },
      ),
    );
    expect(r.evidence[1]).toBe(
      "  caused by GET /about?_rsc=x → 200 from deployment b-2, not the tab's: it carried deployment id a-1; keep the server of deployment a-1 running and route requests pinned to it there",
    );
  });
});
