import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import type { CheckInput } from './check.ts';
import { noServerErrors } from './no-server-errors.ts';
import { rollbackSafety } from './rollback-safety.ts';

const versions = {
  A: { buildId: 'a', deploymentId: 'a', schema: 1 },
  B: { buildId: 'b', deploymentId: 'b', schema: 2 },
  C: { buildId: 'c', deploymentId: 'c', schema: 2 },
};
const input = (...events: HistoryEvent[]): CheckInput => ({ events: events.map((e, i) => ({ t: i * 10, ...e }) as Stamped), versions });

const step = (index: number, label: string): HistoryEvent => ({ type: 'step', index, kind: label.split(' ')[0]!, label, phase: 'start' });
const act = (action: 'deploy' | 'rollback', version: string, extra: { ok?: boolean; refused?: string } = {}): HistoryEvent => ({
  type: 'deployer',
  deployer: 'd',
  action,
  version,
  deploymentId: version.toLowerCase(),
  ok: extra.ok ?? true,
  ms: 1,
  ...(extra.refused ? { refused: extra.refused } : {}),
});
const db = (schema: number, after: string): HistoryEvent => ({ type: 'database', schema, after });
const page = (session: string, status: number): HistoryEvent => ({
  type: 'response',
  session,
  url: 'http://127.0.0.1:1/account',
  resource: 'document',
  status,
  cache: 'DYNAMIC',
  age: null,
  deployment: null,
});
const migratedToB = [
  step(0, 'deploy A'),
  act('deploy', 'A'),
  db(1, 'deploy A'),
  step(1, 'deploy B'),
  act('deploy', 'B'),
  db(2, 'deploy B'),
];

describe('rollback-safety', () => {
  it('fails a rollback onto a schema the old code cannot read, with the pages that broke (negative control)', () => {
    const r = rollbackSafety.judge(
      input(
        ...migratedToB,
        step(2, 'roll back to A'),
        act('rollback', 'A'),
        db(2, 'rollback A'),
        step(3, 'open after'),
        page('after', 500),
      ),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence.join('\n')).toMatch(
      /rolled back to A although it is unsafe: the database is at schema 2, A's code reads schema 1 and migration 002_rename_display_name\.sql is not backward-compatible/,
    );
    expect(r.evidence.join('\n')).toContain('session after got 500 for /account during step 4 (open after)');
  });

  it('passes a refused unsafe rollback and names the forward fix', () => {
    const r = rollbackSafety.judge(
      input(
        ...migratedToB,
        step(2, 'roll back to A'),
        act('rollback', 'A', { ok: false, refused: 'REFUSED' }),
        step(3, 'deploy C'),
        act('deploy', 'C'),
      ),
    );
    expect(r.verdict).toBe('pass');
    expect(r.evidence[0]).toMatch(/rollback to A is unsafe and was refused.*a forward fix is required/);
    expect(r.evidence[1]).toMatch(/forward fix: deploy C \(reads schema 2\)/);
  });

  it('fails a refused safe rollback (recovery blocked), passes a safe one, inconclusive without any', () => {
    const same = [
      step(0, 'deploy A'),
      act('deploy', 'A'),
      db(1, 'deploy A'),
      step(1, 'deploy C'),
      act('deploy', 'A'),
      db(1, 'x'),
      step(2, 'roll back'),
    ];
    expect(rollbackSafety.judge(input(...same, act('rollback', 'A', { ok: false, refused: 'no' }))).verdict).toBe('fail');
    expect(rollbackSafety.judge(input(...same, act('rollback', 'A'))).verdict).toBe('pass');
    expect(rollbackSafety.judge(input(act('deploy', 'A'))).verdict).toBe('inconclusive');
  });
});

describe('no-server-errors', () => {
  it('fails on a 5xx page and passes without one', () => {
    expect(noServerErrors.judge(input(step(0, 'open a'), page('a', 500))).evidence[0]).toContain(
      'session a: 500 for /account during step 1 (open a)',
    );
    expect(noServerErrors.judge(input(page('a', 200))).verdict).toBe('pass');
    expect(noServerErrors.judge(input()).verdict).toBe('inconclusive');
  });

  it('judges what the deploys changed: a 500 the app gave on the first build alone (an API without its secrets) is said, not blamed', () => {
    const api = (status: number, path = '/api/auth/session'): HistoryEvent =>
      ({ ...page('a', status), url: `http://127.0.0.1:8080${path}`, resource: 'fetch' }) as HistoryEvent;
    const before = [step(0, 'deploy A'), api(500), step(1, 'open a'), step(2, 'deploy B')];
    const own = noServerErrors.judge(input(...before, api(500)));
    expect(own.verdict).toBe('pass');
    expect(own.evidence.join('\n')).toContain(
      'not judged: 2 answer(s) the app already gave on the first build alone, before any deploy changed it (500 /api/auth/session)',
    );
    // Negative controls: another path, or another status on the same path, after the change is the deploy's.
    expect(noServerErrors.judge(input(...before, api(500, '/api/posts'))).verdict).toBe('fail');
    expect(noServerErrors.judge(input(...before, api(502))).verdict).toBe('fail');
    // And a 500 that only began after B went live is the deploy's.
    expect(noServerErrors.judge(input(step(0, 'deploy A'), step(1, 'deploy B'), api(500))).verdict).toBe('fail');
  });
});
