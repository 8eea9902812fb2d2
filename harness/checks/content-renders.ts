import { ofType } from '../core/history.ts';
import { capped, pathOf, type Check } from './check.ts';

/**
 * Every user action showed what it should. Catches what throws nothing: the Pages Router's
 * next/dynamic stays on "loading" after its chunk 404s, with no pageerror at all.
 */
export const contentRenders: Check = {
  name: 'content-renders',
  description:
    'every lazy import, next/dynamic render, link click, Server Action and refresh showed its content (catches silent stuck loads)',
  fix: 'the page could not load what a click needs (a lazy chunk, a next/dynamic component, the next route): the failed requests listed are the files to keep available',
  judge({ events }) {
    const actions = ofType(events, 'action');
    if (actions.length === 0) return { verdict: 'inconclusive', evidence: ['no session performed an action'] };
    const bad = actions.filter((a) => a.outcome !== 'ok');
    if (bad.length === 0) return { verdict: 'pass', evidence: [`${actions.length} action(s), all showed their content`] };
    const evidence = bad.map((a) => {
      const static404 = ofType(events, 'response')
        .filter((r) => r.session === a.session && r.t <= a.t && r.t >= a.t - a.waitedMs - 50 && r.status >= 400)
        .map((r) => `${r.status} ${pathOf(r.url)}`);
      const what = a.detail?.includes('was not on the page')
        ? a.detail
        : a.outcome === 'error-page'
          ? "Next's error page replaced the content"
          : (a.detail ?? 'content never appeared');
      return `session ${a.session}: ${a.action} ${a.target} → ${what}${static404.length ? `; failed requests: ${[...new Set(static404)].join(', ')}` : ''}`;
    });
    return { verdict: 'fail', evidence: capped(evidence, 20) };
  },
};
