import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import type { CheckInput } from './check.ts';
import { noCached404 } from './no-cached-404.ts';
import { staticBeforeHtml } from './static-before-html.ts';

const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
const input = (...events: HistoryEvent[]): CheckInput => ({ events: events.map((e, i) => ({ t: i * 10, ...e }) as Stamped), versions });

const step = (index: number, kind: string, phase: 'start' | 'end'): HistoryEvent => ({
  type: 'step',
  index,
  kind,
  label: `${kind} B`,
  phase,
});
const deployed: HistoryEvent = { type: 'deployer', deployer: 'd', action: 'deploy', version: 'B', deploymentId: 'b-2', ok: true, ms: 1 };
const early = (status: number, cache: string): HistoryEvent => ({
  type: 'probe',
  label: 'early visitor after purge (deploy B)',
  url: '/_next/static/chunks/x.js?dpl=b-2',
  status,
  cache,
  age: '0',
  deployment: null,
});
const session = (status: number, cache: string): HistoryEvent => ({
  type: 'response',
  session: 'app-new',
  url: 'http://127.0.0.1:1/_next/static/chunks/x.js?dpl=b-2',
  resource: 'script',
  status,
  cache,
  age: '4',
  deployment: null,
});

describe('static-before-html', () => {
  it("fails when a visitor mid-deploy gets a 404 for the deploying version's own chunk (negative control)", () => {
    const r = staticBeforeHtml.judge(input(step(0, 'deploy', 'start'), early(404, 'MISS'), deployed, step(0, 'deploy', 'end')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toMatch(
      /got 404 for \/_next\/static\/chunks\/x\.js\?dpl=b-2 while B was deploying.*HTML was live before its static files/,
    );
  });

  it('passes when those requests are answered, and is inconclusive without traffic mid-deploy', () => {
    expect(staticBeforeHtml.judge(input(step(0, 'deploy', 'start'), early(200, 'MISS'), deployed, step(0, 'deploy', 'end'))).verdict).toBe(
      'pass',
    );
    expect(
      staticBeforeHtml.judge(input(step(0, 'deploy', 'start'), deployed, step(0, 'deploy', 'end'), session(404, 'MISS'))).verdict,
    ).toBe('inconclusive');
  });
});

describe('no-cached-404', () => {
  it('fails on a 404 served from the edge cache, naming the session and the request that stored it (negative control)', () => {
    const r = noCached404.judge(
      input(step(0, 'deploy', 'start'), early(404, 'MISS'), step(0, 'deploy', 'end'), step(1, 'openSession', 'start'), session(404, 'HIT')),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toMatch(
      /^session app-new got a cached 404 \(CF-Cache-Status HIT, Age 4\) for \/_next\/static\/chunks\/x\.js\?dpl=b-2 .*stored when probe "early visitor after purge \(deploy B\)" got it/,
    );
  });

  it('passes on uncached 404s (the edge asked the origin again)', () => {
    expect(noCached404.judge(input(early(404, 'MISS'), session(404, 'MISS'), session(200, 'MISS'))).verdict).toBe('pass');
  });
});
