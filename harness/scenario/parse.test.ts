import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../scenarios/index.ts';
import { parseScenario } from './parse.ts';

describe('parseScenario', () => {
  it('accepts the catalogue', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(2);
  });

  it('names every problem: unknown step kind, missing field, unknown check, undeclared version', () => {
    const bad = {
      name: 'x',
      title: 't',
      description: 'd',
      source: 's',
      versions: ['A'],
      checks: ['no-such-check'],
      reference: { good: 'g', broken: [] },
      steps: [{ kind: 'teleport' }, { kind: 'navigate', session: 's' }, { kind: 'deploy', version: 'B' }],
    };
    try {
      parseScenario(bad, 'scenarios/x');
      expect.unreachable();
    } catch (e) {
      const details = (e as { details: string[] }).details.join('\n');
      expect(details).toContain('steps[0]: unknown kind "teleport"');
      expect(details).toMatch(/steps\[1\] \(navigate\) link/);
      expect(details).toContain('unknown check "no-such-check"');
      expect(details).toContain('step "deploy B": version not in versions [A]');
    }
  });

  const base = {
    name: 'x',
    title: 't',
    description: 'd',
    source: 's',
    versions: ['A', 'B'],
    checks: ['no-chunk-load-error'],
    reference: { good: 'releases-symlink', broken: [] },
  };
  const problemsOf = (steps: unknown[]): string[] => {
    try {
      parseScenario({ ...base, steps }, 'scenarios/x');
      return [];
    } catch (e) {
      return (e as { details: string[] }).details;
    }
  };

  it('refuses a step on a session no earlier step opens, a session opened twice, a stale copy of nothing', () => {
    expect(
      problemsOf([
        { kind: 'deploy', version: 'A' },
        { kind: 'click', session: 'app-a', target: 'more', expect: 'shown' },
        { kind: 'openSession', session: 'app-a', path: '/' },
        { kind: 'openSession', session: 'app-a', path: '/' },
        { kind: 'openStaleSession', session: 'late', from: 'ghost' },
      ]),
    ).toEqual([
      'steps[1] (click): session "app-a" is not opened by an earlier step (none is open yet)',
      'steps[3] (openSession): session "app-a" is already open (name each session once)',
      'steps[4] (openStaleSession): copies session "ghost", which no earlier step opens',
    ]);
    expect(
      problemsOf([
        { kind: 'deploy', version: 'A' },
        { kind: 'openSession', session: 'app-a', path: '/' },
        { kind: 'click', session: 'app-a', target: 'more', expect: 'shown' },
      ]),
    ).toEqual([]);
  });

  it('bounds steps and sessions (a generated file gone wrong is refused before anything starts)', () => {
    const many = Array.from({ length: 200_000 }, () => ({ kind: 'deploy', version: 'A' }));
    expect(problemsOf(many)).toEqual(["steps: at most 500 steps (the catalogue's longest has 33)"]);
    const sessions = Array.from({ length: 51 }, (_, i) => ({ kind: 'openSession', session: `s${i}`, path: '/' }));
    expect(problemsOf([{ kind: 'deploy', version: 'A' }, ...sessions])).toEqual([
      'steps: 51 sessions, at most 50 (each is a browser context)',
    ]);
  });
});
