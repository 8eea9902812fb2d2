import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import type { CheckInput } from './check.ts';
import { referencedObjectsKept } from './referenced-objects-kept.ts';

const versions: CheckInput['versions'] = {
  A: {
    buildId: 'a-1',
    deploymentId: 'a-1',
    assets: ['/_next/static/a-1/_buildManifest.js', '/_next/static/chunks/shared.js', '/_next/static/chunks/a.js'],
  },
  B: {
    buildId: 'b-2',
    deploymentId: 'b-2',
    assets: ['/_next/static/b-2/_buildManifest.js', '/_next/static/chunks/shared.js', '/_next/static/chunks/b.js'],
  },
};
const input = (...events: HistoryEvent[]): CheckInput => ({ events: events.map((e, i) => ({ t: i * 10, ...e }) as Stamped), versions });
const step = (index: number, label: string): HistoryEvent => ({ type: 'step', index, kind: 'deploy', label, phase: 'start' });
const bucket = (after: string, uploaded: string[], deleted: string[] = []): HistoryEvent => ({ type: 'bucket', after, uploaded, deleted });
const traffic = (...ids: string[]): HistoryEvent => ({
  type: 'traffic',
  by: 'test',
  table: ids.map((id) => ({ revisionName: id, deploymentId: id, percent: 100 / ids.length })),
});
const uploadA = bucket('deploy A', ['a-1/_buildManifest.js', 'chunks/shared.js', 'chunks/a.js']);
const uploadB = bucket('deploy B', ['b-2/_buildManifest.js', 'chunks/b.js']);

describe('referenced-objects-kept', () => {
  it('fails when a sweep deletes a shared chunk a kept build still references (negative control)', () => {
    const r = referencedObjectsKept.judge(
      input(
        step(0, 'deploy A'),
        uploadA,
        traffic('a-1'),
        step(1, 'deploy B'),
        uploadB,
        traffic('b-2'),
        step(2, 'deploy C'),
        bucket('deploy C', [], ['a-1/_buildManifest.js', 'chunks/a.js', 'chunks/shared.js']),
      ),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual(['step 3 (deploy C) deleted chunks/shared.js, which B needs (kept and live)']);
  });

  it("fails when a live build's folder is reaped, and passes when only an unneeded build goes", () => {
    const reapLive = referencedObjectsKept.judge(
      input(uploadA, uploadB, traffic('a-1', 'b-2'), step(2, 'cleanup'), bucket('cleanup', [], ['a-1/_buildManifest.js'])),
    );
    expect(reapLive.evidence[0]).toMatch(/deleted a-1\/_buildManifest\.js, which A needs \(live\)/);
    const reapOld = referencedObjectsKept.judge(
      input(uploadA, uploadB, traffic('b-2'), bucket('cleanup', [], ['a-1/_buildManifest.js', 'chunks/a.js'])),
    );
    expect(reapOld.verdict).toBe('pass');
    expect(referencedObjectsKept.judge(input()).verdict).toBe('inconclusive');
  });
});
