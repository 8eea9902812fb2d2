import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import { retentionEnforced } from './retention-enforced.ts';

const versions = Object.fromEntries(
  ['A', 'B', 'C', 'D'].map((v) => [v, { buildId: `${v.toLowerCase()}-1`, deploymentId: `${v.toLowerCase()}-1` }]),
);
const deploy = (version: string): HistoryEvent =>
  ({
    type: 'deployer',
    deployer: 'x',
    action: 'deploy',
    version,
    deploymentId: versions[version]!.deploymentId,
    ok: true,
    ms: 1,
  }) as HistoryEvent;
const upload = (v: string): HistoryEvent => ({
  type: 'bucket',
  after: `deploy ${v}`,
  uploaded: [`${v.toLowerCase()}-1/_buildManifest.js`],
  deleted: [],
});
const judge = (events: HistoryEvent[]) =>
  retentionEnforced.judge({
    events: events.map((e, i) => ({ ...e, t: i }) as Stamped),
    versions,
    deployerOptions: { assetRetention: '2' },
  });
const traffic = (v: string): HistoryEvent =>
  ({ type: 'traffic', by: 'rollout', table: [{ revisionName: v, deploymentId: versions[v]!.deploymentId, percent: 100 }] }) as HistoryEvent;

describe('retention-enforced', () => {
  const four = ['A', 'B', 'C', 'D'].flatMap((v) => [deploy(v), upload(v)]);

  it('fails when a build outside the window and not live is still in the store (a GC that never deletes)', () => {
    const r = judge([...four.slice(0, -2), traffic('C'), ...four.slice(-2), traffic('D')]);
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual([
      'build A (3 deploy(s) old, outside the window of 2, not live at the last GC) is still in the store',
      'build B (2 deploy(s) old, outside the window of 2, not live at the last GC) is still in the store',
    ]);
  });

  it('keeps what was live while the last GC ran, though the rollout after it moved the traffic on', () => {
    // assetRetention 1: D's GC keeps D (the window) and C (live until D's rollout, which comes after).
    const r = retentionEnforced.judge({
      events: [...four.slice(0, -2), traffic('C'), ...four.slice(-2), traffic('D')].map((e, i) => ({ ...e, t: i }) as Stamped),
      versions,
      deployerOptions: { assetRetention: '1' },
    });
    expect(r.evidence).toEqual([
      'build A (3 deploy(s) old, outside the window of 1, not live at the last GC) is still in the store',
      'build B (2 deploy(s) old, outside the window of 1, not live at the last GC) is still in the store',
    ]);
  });

  it('passes when the GC deleted them, and keeps a live old build', () => {
    const gc: HistoryEvent = { type: 'bucket', after: 'deploy D', uploaded: [], deleted: ['b-1/_buildManifest.js'] };
    const r = judge([...four.slice(0, -2), traffic('A'), ...four.slice(-2), gc]);
    expect(r.verdict).toBe('pass');
    expect(r.evidence[0]).toBe('kept A, C, D (window 2, or live at the last GC); every older build was deleted');
  });

  it('is inconclusive without store changes', () => {
    expect(judge([deploy('A')]).verdict).toBe('inconclusive');
  });
});
