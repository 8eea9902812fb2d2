import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import { atomicSwitch } from './atomic-switch.ts';

const judge = (events: HistoryEvent[]) => atomicSwitch.judge({ events: events.map((e, i) => ({ ...e, t: i }) as Stamped), versions: {} });

describe('atomic-switch', () => {
  it('fails on a moment without current, naming the step and how long', () => {
    const r = judge([
      { type: 'step', index: 1, kind: 'deploy', phase: 'start', label: 'deploy B' },
      { type: 'switch', after: 'deploy B', switches: 1, gaps: [{ how: 'missing', ms: 503 }] },
    ]);
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe('step 2 (deploy B): no current for 503 ms');
  });

  it('fails on an unlink followed by a new link even when no gap was seen', () => {
    expect(judge([{ type: 'switch', after: 'deploy B', switches: 1, gaps: [{ how: 'delete-then-create', ms: 0 }] }]).verdict).toBe('fail');
  });

  it('passes on renames over current, and says so when there was no current at all', () => {
    expect(judge([{ type: 'switch', after: 'deploy A', switches: 1, gaps: [] }]).evidence[0]).toContain('1 replacement(s)');
    expect(judge([]).evidence[0]).toContain('never replaced');
  });
});
