import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import { bucketScoped } from './bucket-scoped.ts';

const at = (events: HistoryEvent[]): Stamped[] => events.map((e, i) => ({ ...e, t: i * 10 }) as Stamped);
const judge = (events: HistoryEvent[]) => bucketScoped.judge({ events: at(events), versions: {} });

describe('bucket-scoped', () => {
  it("fails when a deployer action deleted another app's objects, naming them and the step", () => {
    const r = judge([
      { type: 'step', index: 4, phase: 'start', label: 'deploy E' } as HistoryEvent,
      {
        type: 'bucket',
        after: 'deploy E',
        uploaded: ['e1/_buildManifest.js'],
        deleted: [],
        deletedOutside: ['shop/_next/static/shop-build-1/_buildManifest.js'],
      },
    ]);
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toContain(
      'step 5 (deploy E) deleted 1 object(s) of another app: shop/_next/static/shop-build-1/_buildManifest.js',
    );
  });

  it('passes when deletes stayed under the app (its own build ids may go)', () => {
    const r = judge([{ type: 'bucket', after: 'deploy D', uploaded: ['d/_buildManifest.js'], deleted: ['a/_buildManifest.js'] }]);
    expect(r.verdict).toBe('pass');
  });

  it('is inconclusive without any recorded store change (not a platform run)', () => {
    expect(judge([]).verdict).toBe('inconclusive');
  });
});
