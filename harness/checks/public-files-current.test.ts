import { describe, expect, it } from 'vitest';
import { input } from '../../test/check-history.ts';
import type { HistoryEvent } from '../core/history.ts';
import { publicFilesCurrent } from './public-files-current.ts';

describe('public-files-current', () => {
  const pp = (path: string, servedVersion: string, currentVersion: string, cache = 'HIT'): HistoryEvent => ({
    type: 'public-probe',
    path,
    status: 200,
    cache,
    age: '40',
    servedVersion,
    currentVersion,
  });
  it("fails when the edge serves the other version's copy of a changed public file", () => {
    const r = publicFilesCurrent.judge(input(pp('/logo.svg', 'B', 'A'), pp('/favicon.ico', 'A/B', 'A')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual([
      "/logo.svg: served version B's file while A is current (CF-Cache-Status HIT, Age 40): purge the public paths that changed",
    ]);
  });
  it("passes when every file is the current version's (unchanged files match both)", () => {
    expect(publicFilesCurrent.judge(input(pp('/logo.svg', 'A', 'A'), pp('/favicon.ico', 'A/B', 'A'))).verdict).toBe('pass');
    expect(publicFilesCurrent.judge(input()).verdict).toBe('inconclusive');
  });
});
