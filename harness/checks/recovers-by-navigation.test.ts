import { describe, expect, it } from 'vitest';
import { input, open } from '../../test/check-history.ts';
import type { HistoryEvent } from '../core/history.ts';
import { recoversByNavigation } from './recovers-by-navigation.ts';

const live = (deploymentId: string): HistoryEvent => ({ type: 'stack', current: deploymentId, live: [deploymentId], kept: [] });
const step = (index: number, label: string): HistoryEvent => ({ type: 'step', index, kind: 'navigate', label, phase: 'start' });
const reload = (version: string | null, session = 'app-a'): HistoryEvent => ({
  type: 'hard-reload',
  session,
  url: 'http://127.0.0.1:1/about',
  version,
  during: 'navigate link-about',
});
const action = (outcome: 'ok' | 'missing' | 'error-page', version: string | null = 'B', session = 'app-a'): HistoryEvent => ({
  type: 'action',
  session,
  action: 'navigate',
  target: 'link-about',
  outcome,
  version,
  waitedMs: 300,
});

describe('recovers-by-navigation', () => {
  it('passes a click that became one full page load of the live build, and counts it per session', () => {
    const r = recoversByNavigation.judge(
      input(live('a-1'), open('app-a'), live('b-2'), step(5, 'app-a: follow link-about'), reload('B'), action('ok')),
    );
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toEqual([
      '1 recovery(ies) by navigation (per session: app-a 1)',
      'session app-a during step 6 (app-a: follow link-about): /about: recovered by one full page load, now on version B',
    ]);
  });

  it('passes with nothing to recover, and is inconclusive without a session', () => {
    expect(recoversByNavigation.judge(input(open('app-a'))).evidence).toEqual(['1 session(s), no recovery needed: no hard reload']);
    expect(recoversByNavigation.judge(input()).verdict).toBe('inconclusive');
  });

  it('fails a reload loop: more than one document load for one action', () => {
    const r = recoversByNavigation.judge(input(live('b-2'), open('app-a'), step(5, 'click'), reload('B'), reload('B'), action('ok')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe('session app-a during step 6 (click): /about: 2 document loads for one action (a reload loop)');
  });

  it("fails a full page load that ended on Next's error page or without the content", () => {
    const error = recoversByNavigation.judge(input(live('b-2'), open('app-a'), step(5, 'click'), reload('B'), action('error-page')));
    expect(error.verdict).toBe('fail');
    expect(error.evidence[0]).toContain("the full page load ended on Next's error page");
    expect(
      recoversByNavigation.judge(input(live('b-2'), open('app-a'), step(5, 'click'), reload(null), action('missing'))).evidence[0],
    ).toContain('a page without the content asked for');
  });

  it('fails a full page load that showed another build than the live one (stale HTML)', () => {
    const r = recoversByNavigation.judge(input(live('b-2'), open('app-a'), step(5, 'click'), reload('A'), action('ok', 'A')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe('session app-a during step 6 (click): /about: the full page load showed version A, but B was live');
  });

  it('rolling world: mid-rollout either build serving is live; a page of neither is not', () => {
    const mixed: HistoryEvent = { type: 'stack', live: ['a-1', 'b-2'], kept: [], serving: ['a-1', 'b-2'] };
    const onA = recoversByNavigation.judge(input(live('a-1'), open('app-a'), mixed, step(5, 'click'), reload('A'), action('ok', 'A')));
    expect(onA.verdict).toBe('pass');
    expect(onA.evidence[1]).toContain('recovered by one full page load, now on version A');
    // Once the rollout is done only B serves: a load of A is stale.
    const done: HistoryEvent = { type: 'stack', current: 'b-2', live: ['b-2'], kept: [], serving: ['b-2'] };
    const stale = recoversByNavigation.judge(input(mixed, open('app-a'), done, step(5, 'click'), reload('A'), action('ok', 'A')));
    expect(stale.verdict).toBe('fail');
    expect(stale.evidence[0]).toContain('showed version A, but B was live');
  });
});
