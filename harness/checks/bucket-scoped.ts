import { ofType } from '../core/history.ts';
import { capped, stepAt, type Check } from './check.ts';

/**
 * A bucket is shared: other apps keep their builds next to ours (`<bucket>/<other>/_next/static/`).
 * A deploy of this app may upload and delete only under `<app>/_next/static/`. Replayed from the
 * recorded bucket listings; names every foreign object a deployer action deleted, and the step.
 */
export const bucketScoped: Check = {
  name: 'bucket-scoped',
  description: "the deployer deletes nothing outside its own app's prefix in a shared bucket",
  fix: 'scope every listing and delete to <app>/_next/static/ (a prefix ending in a slash); never rank or sweep build ids across the whole bucket',
  judge({ events }) {
    const changes = ofType(events, 'bucket');
    if (changes.length === 0)
      return { verdict: 'inconclusive', evidence: ['no object store changes were recorded (platform scenarios only)'] };
    const bad = changes
      .filter((c) => c.deletedOutside?.length)
      .map(
        (c) =>
          `${stepAt(events, c.t) ?? c.after} deleted ${c.deletedOutside!.length} object(s) of another app: ${c.deletedOutside!.slice(0, 6).join(', ')}${c.deletedOutside!.length > 6 ? ', …' : ''}`,
      );
    if (bad.length) return { verdict: 'fail', evidence: capped(bad) };
    return {
      verdict: 'pass',
      evidence: [
        `${changes.length} store change(s): every upload and delete stayed under the app's own prefix; the other app's objects are all there`,
      ],
    };
  },
};
