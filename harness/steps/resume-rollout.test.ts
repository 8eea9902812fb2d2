import { describe, expect, it } from 'vitest';
import { heldRolloutProblems } from './resume-rollout.ts';

const deploy = (pause = false) => ({ kind: 'deploy', ...(pause ? { pauseMidRollout: true } : {}) });
const tab = { kind: 'lazyLoad' };
const resume = { kind: 'resumeRollout' };

describe('heldRolloutProblems', () => {
  it('accepts a held deploy, steps on the mixed pods, then its resume', () => {
    expect(heldRolloutProblems([deploy(), deploy(true), tab, resume, deploy()])).toEqual([]);
  });

  it('names a change while a rollout is held, a resume with nothing held, and a hold never resumed', () => {
    expect(heldRolloutProblems([deploy(true), tab, { kind: 'rollback' }, resume])).toEqual([
      'steps[2] (rollback): comes while the rollout of steps[0] is held; put a resumeRollout step before it',
    ]);
    expect(heldRolloutProblems([deploy(), resume])).toEqual([
      'steps[1] (resumeRollout): no deploy or rollback before it holds its rollout (pauseMidRollout)',
    ]);
    expect(heldRolloutProblems([deploy(), deploy(true), tab])).toEqual([
      'steps[1] (deploy): holds its rollout, and no resumeRollout step follows',
    ]);
  });
});
