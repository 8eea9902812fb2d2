import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import { cacheStatus, reached } from './cache-status.ts';
import type { CheckInput } from './check.ts';

const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
const at = (t: number, e: HistoryEvent) => ({ t, ...e }) as Stamped;
const input = (...events: Stamped[]): CheckInput => ({ events, versions });
/** Deploy of B from 2000 to 10000 ms (deployer events carry the end `t` and the duration). */
const deployB = at(10_000, { type: 'deployer', deployer: 'd', action: 'deploy', version: 'B', deploymentId: 'b-2', ok: true, ms: 8000 });
const URL_ = 'http://127.0.0.1:8080/';
const html = (t: number, location: string | undefined, cache: string, age: string, label = 'html-after-B') =>
  at(t, { type: 'probe', label, url: URL_, status: 200, cache, age, deployment: 'b-2', ...(location ? { location } : {}) });
const purgeAt = (t: number, note: string, by = 'd') =>
  at(t, { type: 'purge', by, via: 'api', request: { files: ['https://www.example.com/'] }, evicted: [], status: 200, note });

describe('reached', () => {
  it('is true without a location, or for a note that is not a reach record', () => {
    expect(reached('reached fra never, iad now', undefined)).toBe(true);
    expect(reached(undefined, 'fra')).toBe(true);
    expect(reached('accepted; applied 6000 ms late (fault purge-late)', 'fra')).toBe(true);
    expect(reached('tags are not stored by this edge', 'iad')).toBe(true);
  });

  it('reads the reach of each location from the purge API note', () => {
    const note = 'reached fra now, iad after 6000 ms';
    expect(reached(note, 'fra')).toBe(true);
    expect(reached(note, 'iad')).toBe(false);
    expect(reached('reached fra never, iad now', 'fra')).toBe(false);
    expect(reached('reached fra never, iad now', 'iad')).toBe(true);
  });

  it("reads the stack's late-arrival record: true for its location only", () => {
    expect(reached('reached iad 6000 ms late', 'iad')).toBe(true);
    expect(reached('reached iad 6000 ms late', 'fra')).toBe(false);
    // Whole entries: a location whose name ends another's is not mistaken for it.
    expect(reached('reached us-east now, east never', 'east')).toBe(false);
    expect(reached('reached us-east now, east never', 'us-east')).toBe(true);
  });
});

describe('cache-status at several edge locations', () => {
  it('fails an HTML HIT with an Age at one location after a deploy with no purge, naming that location', () => {
    const r = cacheStatus.judge(input(deployB, html(11_000, 'fra', 'MISS', '0'), html(11_100, 'iad', 'HIT', '5')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe(
      `[iad] ${URL_} after deploy B: HIT with Age 5, expected MISS with Age 0 (the HTML purge did not reach this location)`,
    );
    expect(r.evidence.filter((l) => l.startsWith('[fra]'))).toEqual([]);
    expect(r.evidence).toContain('2 HTML request(s) after a deploy/rollback checked for MISS with Age 0');
  });

  it('passes when every location answers MISS with Age 0 first', () => {
    const r = cacheStatus.judge(input(deployB, html(11_000, 'fra', 'MISS', '0'), html(11_100, 'iad', 'MISS', '0')));
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toContain('2 HTML request(s) after a deploy/rollback checked for MISS with Age 0');
  });

  it('judges repeats per location: a MISS at iad right after a HIT at fra is not a repeat', () => {
    const r = cacheStatus.judge(
      input(deployB, html(11_000, 'fra', 'MISS', '0'), html(11_050, 'fra', 'HIT', '0'), html(11_100, 'iad', 'MISS', '0')),
    );
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toContain('1 repeated HTML request(s) checked for HIT');
    // A MISS repeated at the same location is one (negative control).
    const bad = cacheStatus.judge(input(deployB, html(11_000, 'iad', 'MISS', '0'), html(11_100, 'iad', 'MISS', '0')));
    expect(bad.verdict).toBe('fail');
    expect(bad.evidence[0]).toBe(`[iad] ${URL_} (html-after-B): repeat request was MISS, expected HIT`);
  });

  it('accepts a HIT cached after a purge that reached the location, not one the purge never reached', () => {
    const purge = purgeAt(9000, 'reached fra now, iad never');
    const r = cacheStatus.judge(input(purge, deployB, html(10_500, 'fra', 'HIT', '1'), html(10_600, 'iad', 'HIT', '1')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence.filter((l) => l.includes('expected MISS with Age 0'))).toEqual([
      `[iad] ${URL_} after deploy B: HIT with Age 1, expected MISS with Age 0 (the HTML purge did not reach this location)`,
    ]);
  });

  it("counts the stack's late-arrival record as the purge landing at that location", () => {
    const accepted = purgeAt(3000, 'reached fra now, iad after 6000 ms');
    const late = purgeAt(9000, 'reached iad 6000 ms late', 'edge');
    const r = cacheStatus.judge(input(accepted, late, deployB, html(10_500, 'fra', 'HIT', '1'), html(10_600, 'iad', 'HIT', '1')));
    expect(r.verdict).toBe('pass');
    // Age 5 at iad reaches back before the late arrival (1.6 s earlier): stale there.
    const stale = cacheStatus.judge(input(accepted, late, deployB, html(10_600, 'iad', 'HIT', '5')));
    expect(stale.verdict).toBe('fail');
    expect(stale.evidence[0]).toMatch(/^\[iad\] /);
  });

  it('keeps the plain message (no location prefix) for single-location probes', () => {
    const r = cacheStatus.judge(input(deployB, html(11_000, undefined, 'HIT', '5')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe(`${URL_} after deploy B: HIT with Age 5, expected MISS with Age 0 (the HTML purge did not reach it)`);
  });
});
