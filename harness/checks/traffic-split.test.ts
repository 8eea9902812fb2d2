import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import type { CheckInput } from './check.ts';
import { trafficSplit } from './traffic-split.ts';

const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
const input = (...events: HistoryEvent[]): CheckInput => ({ events: events.map((e, i) => ({ t: i * 10, ...e }) as Stamped), versions });
const table: HistoryEvent = {
  type: 'traffic',
  by: 'split',
  table: [
    { revisionName: 'r2', deploymentId: 'b-2', percent: 10 },
    { revisionName: 'r1', deploymentId: 'a-1', percent: 90 },
  ],
};
const probe = (b: number, a: number): HistoryEvent => ({ type: 'split-probe', path: '/', visitors: a + b, counts: { 'b-2': b, 'a-1': a } });

describe('traffic-split', () => {
  it('fails when the canary gets far more than its share (negative control)', () => {
    const r = trafficSplit.judge(input(table, probe(100, 100)));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toMatch(/200 visitors to \/: B 50\.0 % \(table 10 %\), off by more than/);
  });

  it('passes within the tolerance and is inconclusive without a probe', () => {
    expect(trafficSplit.judge(input(table, probe(24, 176))).verdict).toBe('pass');
    expect(trafficSplit.judge(input(table)).verdict).toBe('inconclusive');
  });

  it('judges a probe by the table recorded before it, also when the next split shares its millisecond', () => {
    const next: HistoryEvent = {
      type: 'traffic',
      by: 'split',
      table: [
        { revisionName: 'r2', deploymentId: 'b-2', percent: 50 },
        { revisionName: 'r1', deploymentId: 'a-1', percent: 50 },
      ],
    };
    const events = [table, probe(24, 176), next].map((e) => ({ t: 5, ...e }) as Stamped);
    expect(trafficSplit.judge({ events, versions }).verdict).toBe('pass');
  });
});
