import { describe, expect, it } from 'vitest';
import { FAULTS } from '../faults/index.ts';
import { parseScenario } from '../scenario/parse.ts';
import { inject } from './inject.ts';

const issues = (step: unknown) => {
  const r = inject.schema.safeParse(step);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
};

describe('inject step', () => {
  it('accepts a known fault with or without params and an id', () => {
    expect(inject.schema.safeParse({ kind: 'inject', fault: 'purge-rate-limit' }).success).toBe(true);
    const r = inject.schema.safeParse({ kind: 'inject', fault: 'purge-server-error', id: 'outage', params: { status: 503, requests: 0 } });
    expect(r.success && r.data).toEqual({
      kind: 'inject',
      fault: 'purge-server-error',
      id: 'outage',
      params: { status: 503, requests: 0 },
    });
  });

  it('names an unknown fault on the fault field, with the known ones', () => {
    expect(issues({ kind: 'inject', fault: 'disk-full' })).toEqual([
      {
        path: ['fault'],
        message: `unknown fault "disk-full"; known: ${FAULTS.map((f) => f.name).join(', ')}`,
      },
    ]);
  });

  it('puts bad params under params.<name>', () => {
    const found = issues({ kind: 'inject', fault: 'purge-rate-limit', params: { retryAfterS: 0 } });
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toEqual(['params', 'retryAfterS']);
    expect(issues({ kind: 'inject', fault: 'purge-timeout', params: { holdMs: 50, requests: -1 } }).map((i) => i.path)).toEqual([
      ['params', 'requests'],
      ['params', 'holdMs'],
    ]);
  });

  it('rejects an empty fault name and an empty id', () => {
    expect(issues({ kind: 'inject', fault: '' }).map((i) => i.path)).toContainEqual(['fault']);
    expect(issues({ kind: 'inject', fault: 'purge-late', id: '' }).map((i) => i.path)).toEqual([['id']]);
  });

  it('labels with the fault label, naming a custom id', () => {
    expect(inject.label({ kind: 'inject', fault: 'purge-rate-limit' })).toBe(
      'inject purge API rate-limits 2 requests (429, Retry-After 1 s)',
    );
    expect(inject.label({ kind: 'inject', fault: 'purge-server-error', id: 'outage', params: { status: 504, requests: 1 } })).toBe(
      'inject outage: purge API answers 504 to 1 request',
    );
  });
});

describe('parseScenario with inject steps', () => {
  const scenario = (step: Record<string, unknown>) => ({
    name: 'x',
    title: 't',
    description: 'd',
    source: 's',
    versions: ['A'],
    checks: ['purges-confirmed'],
    reference: { good: 'g', broken: [] },
    steps: [{ kind: 'deploy', version: 'A' }, step, { kind: 'heal', fault: 'purge-rate-limit' }],
  });

  it('accepts a valid inject step', () => {
    const s = parseScenario(scenario({ kind: 'inject', fault: 'purge-rate-limit', params: { retryAfterS: 2 } }));
    expect(s.steps[1]).toEqual({ kind: 'inject', fault: 'purge-rate-limit', params: { retryAfterS: 2 } });
  });

  it('names the bad inject step and its field', () => {
    const problems = (step: Record<string, unknown>) => {
      try {
        parseScenario(scenario(step), 'scenarios/x');
      } catch (e) {
        return (e as { details: string[] }).details;
      }
      throw new Error('expected the scenario to be rejected');
    };
    expect(problems({ kind: 'inject', fault: 'purge-rate-limit', params: { retryAfterS: 0 } })).toEqual([
      expect.stringMatching(/^steps\[1\] \(inject\) params\.retryAfterS: /),
    ]);
    expect(problems({ kind: 'inject', fault: 'disk-full' })).toEqual([
      expect.stringContaining('steps[1] (inject) fault: unknown fault "disk-full"'),
    ]);
  });
});
