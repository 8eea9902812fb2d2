import { describe, expect, it } from 'vitest';
import type { HistoryEvent, PurgeRecord, Stamped } from '../core/history.ts';
import type { CheckInput } from './check.ts';
import { covers, purgesConfirmed } from './purges-confirmed.ts';

const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
const at = (t: number, e: HistoryEvent) => ({ t, ...e }) as Stamped;
const input = (...events: Stamped[]): CheckInput => ({ events, versions });
/** A deployer action recorded at its end `t`, having run `ms` before. */
const deployed = (t: number, ms: number, ok = true, action: 'deploy' | 'rollback' | 'cleanup' = 'deploy') =>
  at(t, { type: 'deployer', deployer: 'd', action, version: 'B', deploymentId: 'b-2', ok, ms });
const purge = (t: number, status: number, request: PurgeRecord, extra: Partial<Extract<HistoryEvent, { type: 'purge' }>> = {}) =>
  at(t, { type: 'purge', by: 'd', via: 'api', request, evicted: [], status, ...extra });
const HOME = { files: ['https://www.example.com/'] };
const OTHER = { files: ['https://www.example.com/other'] };

describe('purges-confirmed', () => {
  it('passes when a 429 is retried and accepted for the same files within the action', () => {
    const r = purgesConfirmed.judge(
      input(purge(1000, 429, HOME, { errorCode: 971, note: 'rate limited' }), purge(2500, 200, HOME), deployed(3000, 2500)),
    );
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toEqual(['deploy B: purge answered 429 (code 971) — rate limited; retried and accepted 1.5 s later']);
  });

  it('fails when the 429 is never retried, even if another purge is accepted later (negative control)', () => {
    const r = purgesConfirmed.judge(input(purge(1000, 429, HOME, { errorCode: 971 }), purge(2000, 200, OTHER), deployed(3000, 2500)));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe('deploy B: purge answered 429 (code 971); never retried, yet the deploy reported success');
  });

  it('fails on an unretried 502 page and an unretried timeout (504), and counts a later 200 for other files as no retry', () => {
    const r = purgesConfirmed.judge(
      input(
        purge(1000, 502, HOME, { note: 'edge 502 page' }),
        purge(2000, 504, OTHER, { note: 'no answer; the client gave up' }),
        purge(2500, 200, { prefixes: ['www.example.com/blog'] }),
        deployed(3000, 2500),
      ),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence.slice(0, 2)).toEqual([
      'deploy B: purge answered 502 — edge 502 page; never retried, yet the deploy reported success',
      'deploy B: purge answered 504 — no answer; the client gave up; never retried, yet the deploy reported success',
    ]);
  });

  it('passes when a timeout is retried with purge_everything', () => {
    const r = purgesConfirmed.judge(input(purge(1000, 504, HOME), purge(1200, 200, { everything: true }), deployed(3000, 2500)));
    expect(r.verdict).toBe('pass');
  });

  it('does not take an accepted purge before the failure, or after the action ended, as its retry', () => {
    const before = purgesConfirmed.judge(input(purge(600, 200, HOME), purge(1000, 429, HOME), deployed(3000, 2500)));
    expect(before.verdict).toBe('fail');
    const after = purgesConfirmed.judge(input(purge(1000, 429, HOME), deployed(3000, 2500), purge(3500, 200, HOME)));
    expect(after.verdict).toBe('fail');
  });

  it('ignores failures outside any successful deploy/rollback: a failed action, a cleanup, no action at all', () => {
    expect(purgesConfirmed.judge(input(purge(1000, 429, HOME), deployed(3000, 2500, false))).verdict).toBe('pass');
    expect(purgesConfirmed.judge(input(purge(1000, 429, HOME), deployed(3000, 2500, true, 'cleanup'))).verdict).toBe('pass');
    expect(purgesConfirmed.judge(input(deployed(900, 500), purge(1000, 429, HOME), deployed(3000, 1000))).verdict).toBe('pass');
  });

  it('does not count 400, 403 and 404 rejections as transient failures', () => {
    const r = purgesConfirmed.judge(
      input(purge(1000, 400, HOME, { errorCode: 1012 }), purge(1100, 403, HOME), purge(1200, 404, HOME), deployed(3000, 2500)),
    );
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toEqual(['deploy B: 3 purge request(s), none refused']);
  });

  it('is inconclusive without an API purge (direct purges do not count)', () => {
    expect(purgesConfirmed.judge(input(deployed(3000, 2500))).verdict).toBe('inconclusive');
    const direct = purgesConfirmed.judge(input(purge(1000, 429, HOME, { via: 'direct' }), deployed(3000, 2500)));
    expect(direct).toEqual({ verdict: 'inconclusive', evidence: ['no purge request was made'] });
  });
});

describe('covers', () => {
  it('purge_everything covers anything; files cover a subset of files', () => {
    expect(covers({ everything: true }, { prefixes: ['www.example.com/'] })).toBe(true);
    expect(covers({ files: ['a', 'b', 'c'] }, { files: ['c', 'a'] })).toBe(true);
    expect(covers({ files: ['a'] }, { files: ['a', 'b'] })).toBe(false);
  });

  it('other kinds must be equal, and neither side may be missing', () => {
    expect(covers({ prefixes: ['www.example.com/blog'] }, { prefixes: ['www.example.com/blog'] })).toBe(true);
    expect(covers({ prefixes: ['www.example.com/blog'] }, { prefixes: ['www.example.com/shop'] })).toBe(false);
    expect(covers({ hosts: ['www.example.com'] }, { files: ['https://www.example.com/'] })).toBe(false);
    expect(covers({ files: ['https://www.example.com/'] }, { everything: true })).toBe(false);
    expect(covers(undefined, { files: ['a'] })).toBe(false);
    expect(covers({ everything: true }, undefined)).toBe(false);
  });
});
