import { ofType } from '../core/history.ts';
import { capped, pathOf, type Check } from './check.ts';

/** A user arriving after a deploy or rollback gets the version that is current. */
export const newSessionsCurrent: Check = {
  name: 'new-sessions-current',
  description: 'sessions opened after a deploy or rollback show the current version',
  worlds: {
    'single-origin':
      "the one server runs current: a new visitor gets another build only from a cache (the edge's HTML) or from a route the deployer's nginx added",
    rolling:
      'judged once a rollout is done (every pod of the Service runs current); a visitor who arrives while pods of both builds serve may get either, and is not judged here',
  },
  fix: 'new visitors got another version than the live one: purge the HTML entry points after switching, and check what pins browsers (deployment cookies) and how traffic is split',
  judge({ events }) {
    const opens = ofType(events, 'session-open').filter((o) => o.expectVersion !== undefined);
    if (opens.length === 0) return { verdict: 'inconclusive', evidence: ['no session was opened with a known current version'] };
    const wrong = opens.filter((o) => o.version !== o.expectVersion);
    const why = (o: (typeof opens)[number]) =>
      o.pinnedBy?.startsWith('the scenario') ? `required by ${o.pinnedBy}` : o.pinnedBy ? `pinned by ${o.pinnedBy}` : 'current';
    if (wrong.length === 0)
      return { verdict: 'pass', evidence: opens.map((o) => `session ${o.session} at ${pathOf(o.url)}: version ${o.version} (${why(o)})`) };
    return {
      verdict: 'fail',
      evidence: capped(
        wrong.map(
          (o) =>
            `session ${o.session} at ${pathOf(o.url)}: shows version ${o.version ?? 'unknown'}, expected ${o.expectVersion} (${why(o)})`,
        ),
      ),
    };
  },
};
