import { describe, expect, it } from 'vitest';
import { History, type HistoryEvent } from '../core/history.ts';
import { rollbackRetention } from './rollback-retention.ts';

const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
const MIN = 60_000;

/** Builds a history on a fake real clock: each event 10 ms after the previous one. */
function run(script: (h: History) => void) {
  let now = 1_000_000;
  const h = new History(() => (now += 10));
  script(h);
  return rollbackRetention.judge({ events: h.events, versions });
}
const step = (index: number, label: string): HistoryEvent => ({ type: 'step', index, kind: label, label, phase: 'start' });
const deployer = (action: 'deploy' | 'rollback' | 'cleanup', version: string): HistoryEvent => ({
  type: 'deployer',
  deployer: 'd',
  action,
  version,
  deploymentId: version,
  ok: true,
  ms: 1,
});
const purge: HistoryEvent = { type: 'purge', by: 'd', via: 'api', request: { files: ['http://x/'] }, evicted: ['/'], status: 200 };
const originProbe = (label: string, status: number): HistoryEvent => ({
  type: 'probe',
  label,
  url: '/_next/static/b-2/_buildManifest.js?dpl=b-2',
  status,
  cache: 'BYPASS',
  age: null,
  deployment: null,
  version: 'B',
  assetKind: 'build-manifest',
  origin: true,
});

function rolledBack(h: History) {
  h.append(step(0, 'deploy A'));
  h.append(deployer('deploy', 'A'));
  h.append(step(1, 'deploy B'));
  h.append(deployer('deploy', 'B'));
  h.append(step(2, 'roll back to A'));
  h.append(purge);
  h.append(deployer('rollback', 'A'));
}

describe('rollback-retention', () => {
  it('fails when the bad build is gone from origin 14 min after the purge (negative control), naming URL and step', () => {
    const r = run((h) => {
      rolledBack(h);
      h.append(originProbe('origin-B-now', 200));
      h.advanceClock(14 * MIN);
      h.append(step(5, 'probe every asset of B on origin'));
      h.append(originProbe('origin-B-at-14m', 404));
    });
    expect(r.verdict).toBe('fail');
    expect(r.evidence.join('\n')).toMatch(
      /\+14\.0 min after the purge, inside the window: 404 \/_next\/static\/b-2\/_buildManifest\.js\?dpl=b-2 on origin .*during step 6/,
    );
  });

  it('fails on a session 404 for the bad build inside the window', () => {
    const r = run((h) => {
      rolledBack(h);
      h.advanceClock(10 * MIN);
      h.append({
        type: 'response',
        session: 'late',
        url: 'http://127.0.0.1:1/_next/static/chunks/x.js?dpl=b-2',
        resource: 'script',
        status: 404,
        cache: 'MISS',
        age: '0',
        deployment: null,
      });
    });
    expect(r.verdict).toBe('fail');
    expect(r.evidence.join('\n')).toContain('session late got 404 /_next/static/chunks/x.js?dpl=b-2');
  });

  it('passes when the bad build is kept inside the window and removed after it', () => {
    const r = run((h) => {
      rolledBack(h);
      h.advanceClock(14 * MIN);
      h.append(originProbe('origin-B-at-14m', 200));
      h.advanceClock(2 * MIN);
      h.append(deployer('cleanup', 'A'));
      h.append(originProbe('origin-B-at-16m', 404));
    });
    expect(r.verdict).toBe('pass');
    expect(r.evidence.join('\n')).toMatch(/\+16\.0 min \(origin-B-at-16m\).*removed by cleanup \(allowed\)/);
  });

  it('is inconclusive without a rollback, or with nothing asked of the bad build inside the window', () => {
    expect(run((h) => h.append(deployer('deploy', 'A'))).verdict).toBe('inconclusive');
    expect(
      run((h) => {
        rolledBack(h);
        h.advanceClock(20 * MIN);
        h.append(originProbe('late', 404));
      }).verdict,
    ).toBe('inconclusive');
  });
});

describe('scenario clock', () => {
  it('stamps events with c once advanced, only forward', () => {
    let now = 0;
    const h = new History(() => (now += 1));
    h.append(deployer('deploy', 'A'));
    h.advanceClock(MIN);
    h.append(deployer('deploy', 'B'));
    expect(h.events[0]!.c).toBeUndefined();
    expect(h.events.at(-1)!.c! - h.events.at(-1)!.t).toBe(MIN);
    expect(() => h.advanceClock(0)).toThrow(/only moves forward/);
  });
});
