import { describe, expect, it } from 'vitest';
import { Platform } from './platform.ts';

const platform = () => new Platform('app', () => ['a-1', 'b-2', 'c-3']);

describe('platform (revisions and traffic)', () => {
  it('names revisions like an operator, rolls out by percent and splits by deployment', () => {
    const p = platform();
    const a = p.createRevision({ deploymentId: 'a-1', labels: { 'knext.dev/build-id': 'a-1' } });
    p.rollOut(a.name, 100);
    const b = p.createRevision({ deploymentId: 'b-2' });
    p.rollOut(b.name, 10);
    expect(a.name).toBe('app-00001');
    expect(p.currentTraffic).toEqual([
      { revisionName: 'app-00002', percent: 10 },
      { revisionName: 'app-00001', percent: 90 },
    ]);
    p.rollOut(b.name, 50);
    expect(p.split()).toEqual([
      { deploymentId: 'b-2', percent: 50 },
      { deploymentId: 'a-1', percent: 50 },
    ]);
    p.rollOut(b.name, 100);
    expect(p.currentTraffic).toEqual([{ revisionName: 'app-00002', percent: 100 }]);
  });

  it('rejects unknown images, bad names and tables that do not add up to 100', () => {
    const p = platform();
    expect(() => p.createRevision({ deploymentId: 'z-9' })).toThrow(/no image for deployment id "z-9"/);
    p.createRevision({ deploymentId: 'a-1', name: 'mine' });
    expect(() => p.createRevision({ deploymentId: 'a-1', name: 'mine' })).toThrow(/taken/);
    expect(() => p.setTraffic([{ revisionName: 'mine', percent: 90 }])).toThrow(/add up to 90, not 100/);
    expect(() => p.setTraffic([{ revisionName: 'nope', percent: 100 }])).toThrow(/unknown revision "nope"/);
  });
});
