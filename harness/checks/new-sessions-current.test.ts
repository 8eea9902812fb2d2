import { describe, expect, it } from 'vitest';
import { open as openAtRoot } from '../../test/check-history.ts';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import type { CheckInput } from './check.ts';
import { newSessionsCurrent } from './new-sessions-current.ts';

const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
const input = (...events: HistoryEvent[]): CheckInput => ({ events: events.map((e, i) => ({ t: i * 10, ...e }) as Stamped), versions });
const open = (session: string, version: string, expectVersion: string, pinnedBy?: string): HistoryEvent => ({
  type: 'session-open',
  session,
  url: 'http://127.0.0.1:1/legacy',
  version,
  deploymentId: null,
  expectVersion,
  ...(pinnedBy ? { pinnedBy } : {}),
});

/** What openSession records as pinnedBy (harness/steps/open-session.ts). */
const MUST_SEE_B = 'the scenario: B is healthy and must be live';
const COOKIE_A = 'a __skew_deployment cookie for A';

describe('new-sessions-current evidence: why a session expected its version', () => {
  it('says "required by" for a version the scenario requires (mustSee), on a fail', () => {
    const r = newSessionsCurrent.judge(input(open('app-new', 'A', 'B', MUST_SEE_B)));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual([`session app-new at /legacy: shows version A, expected B (required by ${MUST_SEE_B})`]);
  });

  it('says "required by" on a pass too', () => {
    const r = newSessionsCurrent.judge(input(open('app-new', 'B', 'B', MUST_SEE_B)));
    expect(r).toEqual({ verdict: 'pass', evidence: [`session app-new at /legacy: version B (required by ${MUST_SEE_B})`] });
  });

  it('says "pinned by" for a cookie pin, and "current" when nothing pinned it', () => {
    const r = newSessionsCurrent.judge(input(open('pinned', 'B', 'A', COOKIE_A), open('plain', 'A', 'B')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual([
      `session pinned at /legacy: shows version B, expected A (pinned by ${COOKIE_A})`,
      'session plain at /legacy: shows version A, expected B (current)',
    ]);
  });

  it('only a pin that starts with "the scenario" counts as required', () => {
    const r = newSessionsCurrent.judge(input(open('s', 'B', 'B', 'a cookie set by the scenario')));
    expect(r.evidence).toEqual(['session s at /legacy: version B (pinned by a cookie set by the scenario)']);
  });
});

describe('new-sessions-current', () => {
  it('fails when a new session gets the old version (stale HTML)', () => {
    expect(newSessionsCurrent.judge(input(openAtRoot('b', 'A', 'B'))).verdict).toBe('fail');
    expect(newSessionsCurrent.judge(input(openAtRoot('b', 'B', 'B'))).verdict).toBe('pass');
  });
});
