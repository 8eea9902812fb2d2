import { ofType, type Stamped } from '../core/history.ts';
import { pathOf } from './check.ts';

/**
 * The app's own failures: answers it already gave with the same status on the same path (and
 * query) before the deploy under judgement changed anything. An API route without its secrets
 * (`/api/auth/session` → 500 with no NEXTAUTH_SECRET), an image optimizer that cannot reach an
 * outside host from this machine: they fail on the first build alone, so they say nothing about
 * the deploy. Judging what the deploy changed keeps them out; a new status on such a path, or
 * any failure on another path, still counts.
 */
export function appOwnFailures(
  events: readonly Stamped[],
  before: number,
): { isOwn(r: { status: number; url: string }): boolean; seen: string[] } {
  const seen = new Set(
    ofType(events, 'response')
      .filter((r) => r.t < before && r.status >= 400)
      .map((r) => `${r.status} ${pathOf(r.url)}`),
  );
  return { isOwn: (r) => seen.has(`${r.status} ${pathOf(r.url)}`), seen: [...seen] };
}

/** Steps that change which build serves (the first puts the first build live). */
const CHANGES = new Set(['deploy', 'rollback', 'split']);

/**
 * When the first change after the first build went live started: until then one build served,
 * and whatever failed is the app's. Without such a change there is no before: everything counts.
 */
export function firstChange(events: readonly Stamped[]): number {
  const starts = ofType(events, 'step').filter((s) => s.phase === 'start' && CHANGES.has(s.kind));
  return starts[1]?.t ?? Number.NEGATIVE_INFINITY;
}
