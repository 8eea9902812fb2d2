import { describe, expect, it } from 'vitest';
import type { Stamped } from '../core/history.ts';
import { formatProfile, PhaseTimer, stepPhases } from './profile.ts';

describe('profile', () => {
  it('times phases between marks; phases measured inside one come first and it keeps the rest', () => {
    let now = 1000;
    const p = new PhaseTimer(() => now);
    now = 1400;
    p.mark('builds');
    now = 2500;
    p.mark('after the steps', [{ phase: 'step 1: deploy A', ms: 900 }]);
    now = 2550;
    p.mark('judge');
    expect(p.phases).toEqual([
      { phase: 'builds', ms: 400 },
      { phase: 'step 1: deploy A', ms: 900 },
      { phase: 'after the steps', ms: 200 },
      { phase: 'judge', ms: 50 },
    ]);
  });

  it("reads each step's time from its start and end in the history; a step that never ended runs to the last event", () => {
    const events = [
      { t: 10, type: 'step', index: 0, kind: 'deploy', label: 'deploy A', phase: 'start' },
      { t: 700, type: 'step', index: 0, kind: 'deploy', label: 'deploy A', phase: 'end' },
      { t: 720, type: 'step', index: 1, kind: 'openSession', label: 'open a at /', phase: 'start' },
      { t: 990, type: 'deployer', action: 'deploy' },
    ] as unknown as Stamped[];
    expect(stepPhases(events)).toEqual([
      { phase: 'step 1: deploy A', ms: 690 },
      { phase: 'step 2: open a at /', ms: 270 },
    ]);
  });

  it('prints seconds and shares', () => {
    expect(
      formatProfile([
        { phase: 'a', ms: 750 },
        { phase: 'b', ms: 250 },
      ]),
    ).toEqual(['  0.75 s  75 %  a', '  0.25 s  25 %  b']);
  });
});
