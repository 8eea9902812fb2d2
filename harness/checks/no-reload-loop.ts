import { ofType } from '../core/history.ts';
import { capped, pathOf, reloadsByAction, type Check } from './check.ts';

/**
 * A tab never loaded more than one document for one user action. Next's answer to skew is one
 * full page load; when the page it loads is skewed too (HTML of one build, data or chunks of
 * another, or the same URL again: vercel/next.js #39730 "attempted to hard navigate to the same
 * URL"), it loads again, and the user watches a page that never settles.
 */
export const noReloadLoop: Check = {
  name: 'no-reload-loop',
  description: 'no tab loaded more than one document for one user action (a reload loop)',
  fix: 'each full page load Next made to recover met skew again: make a fresh load of a URL get one build whole (purge or bypass cached HTML of the old build, keep its data and chunks answering for the HTML that references them)',
  judge({ events }) {
    const sessions = new Set(ofType(events, 'session-open').map((s) => s.session));
    if (sessions.size === 0) return { verdict: 'inconclusive', evidence: ['no browser session ran'] };
    const groups = reloadsByAction(events);
    const loops = groups.filter((g) => g.loads.length > 1);
    if (loops.length === 0)
      return {
        verdict: 'pass',
        evidence: [`${sessions.size} session(s); ${groups.length} action(s) caused a full page load, none more than one`],
      };
    const stopped = ofType(events, 'reload-loop-stopped');
    return {
      verdict: 'fail',
      evidence: capped([
        ...loops.map(
          (g) =>
            `session ${g.session} during ${g.step}: ${g.loads.length} document loads for one action (${g.loads.map((l) => pathOf(l.url)).join(' → ')})`,
        ),
        ...stopped.map(
          (s) => `session ${s.session}: still loading after ${s.loads} loads during "${s.during}": skew stopped its navigations`,
        ),
      ]),
    };
  },
};
