import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.ts';
import { input, open, versions } from '../../test/check-history.ts';
import { deploymentIdHeaders } from './deployment-id-headers.ts';

const openA: HistoryEvent = { ...(open('s') as Extract<HistoryEvent, { type: 'session-open' }>), deploymentId: 'a-1' };
const rsc = (pin?: string): HistoryEvent => ({
  type: 'request',
  session: 's',
  url: 'http://h/about?_rsc=x',
  resource: 'fetch',
  method: 'GET',
  rsc: true,
  ...(pin ? { pin } : {}),
});
const answer = (deployment: string | null): HistoryEvent => ({
  type: 'response',
  session: 's',
  url: 'http://h/about?_rsc=x',
  resource: 'fetch',
  status: 200,
  cache: null,
  age: null,
  deployment,
  rsc: true,
});

describe('deployment-id-headers', () => {
  it("passes when requests carry the tab's id and answers name the build that answered", () => {
    const r = deploymentIdHeaders.judge(input(openA, rsc('a-1'), answer('b-2')));
    expect(r.verdict).toBe('pass');
    expect(r.evidence[0]).toBe(
      "1 request(s) carried their tab's id; 1 RSC/data answer(s) named the build that answered (1 another build's, which Next then refused)",
    );
  });

  it('fails an answer whose x-nextjs-deployment-id was dropped on the way (negative control)', () => {
    const r = deploymentIdHeaders.judge(input(openA, rsc('a-1'), answer(null)));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual(['session s: the answer to /about?_rsc=x has no x-nextjs-deployment-id (Next sets it there)']);
  });

  it('does not ask Next 15 for an answer header it never sets, and still judges its requests', () => {
    const next15 = Object.fromEntries(Object.entries(versions).map(([v, ids]) => [v, { ...ids, nextMajor: 15 }]));
    const ok = deploymentIdHeaders.judge({ ...input(openA, rsc('a-1'), answer(null)), versions: next15 });
    expect(ok.verdict).toBe('pass');
    expect(ok.evidence[0]).toMatch(/Next before 16 sets no x-nextjs-deployment-id/);
    expect(deploymentIdHeaders.judge({ ...input(openA, rsc(), answer(null)), versions: next15 }).verdict).toBe('fail');
  });

  it("fails a request without the tab's id, and judges a tab by the build a full page load brought it", () => {
    const r = deploymentIdHeaders.judge(
      input(openA, rsc(), { type: 'hard-reload', session: 's', url: 'http://h/about', version: 'B', during: 'x' }, rsc('a-1')),
    );
    expect(r.evidence).toEqual([
      'session s: RSC request /about?_rsc=x carries no deployment id',
      "session s (tab on B): RSC request /about?_rsc=x carries A's id",
    ]);
  });

  it("counts a reload's requests from the document answer that started it, not from when the page could be read", () => {
    const doc: HistoryEvent = {
      type: 'response',
      session: 's',
      url: 'http://h/about',
      resource: 'document',
      status: 200,
      cache: null,
      age: null,
      deployment: null,
    };
    const chunk: HistoryEvent = {
      type: 'request',
      session: 's',
      url: 'http://h/_next/data/b-2/x.json',
      resource: 'fetch',
      method: 'GET',
      pin: 'b-2',
    };
    const r = deploymentIdHeaders.judge(
      input(openA, doc, chunk, { type: 'hard-reload', session: 's', url: 'http://h/about', version: 'B', during: 'x' }),
    );
    expect(r.verdict).toBe('pass');
  });

  it('is inconclusive for builds without a deployment id', () => {
    const off = { ...input(openA, rsc()), versions: { A: { ...versions.A, withoutDeploymentId: true as const } } };
    expect(deploymentIdHeaders.judge(off).verdict).toBe('inconclusive');
  });
});
