import { ofType, type Stamped } from '../core/history.ts';
import { capped, pathOf, stepAt, type Check } from './check.ts';

/** nginx's and Cloudflare's names for an answer served from the edge's cache. */
const FROM_CACHE = new Set(['HIT', 'STALE', 'UPDATING', 'REVALIDATED']);

type Answer = { t: number; url: string; status: number; cache: string | null; age: string | null; who: string };

/**
 * No /_next/static 404 came out of the edge's cache. A stored 404 outlives the upload that
 * would fix it: the chunk stays broken for everyone until the entry expires or is purged.
 * Evidence names who got it, when, and the request that put it in the cache.
 */
export const noCached404: Check = {
  name: 'no-cached-404',
  description: 'no /_next/static 404 was served from the edge cache',
  fix: 'never let a 404 for /_next/static be cached: send Cache-Control: no-store (or no caching rule) on 404s, and put static files in place before the HTML that references them',
  judge({ events }) {
    const answers = staticAnswers(events);
    if (answers.length === 0) return { verdict: 'inconclusive', evidence: ['no /_next/static request was recorded'] };
    // Users first: a browser that got it is the harm, a probe only confirms it.
    const cached = answers
      .filter((a) => a.status === 404 && FROM_CACHE.has(a.cache ?? ''))
      .sort((a, b) => Number(b.who.startsWith('session')) - Number(a.who.startsWith('session')) || a.t - b.t);
    if (cached.length === 0)
      return {
        verdict: 'pass',
        evidence: [
          `${answers.length} /_next/static answers, ${answers.filter((a) => a.status === 404).length} of them 404, none from the cache`,
        ],
      };
    const lines = cached.map((a) => {
      const first = answers.find((b) => b.url === a.url && b.status === 404 && !FROM_CACHE.has(b.cache ?? '') && b.t <= a.t);
      const step = stepAt(events, a.t);
      return `${a.who} got a cached 404 (CF-Cache-Status ${a.cache}, Age ${a.age ?? '-'}) for ${a.url}${step ? ` during ${step}` : ''}${first ? `; stored when ${first.who} got it at ${(first.t / 1000).toFixed(2)}s during ${stepAt(events, first.t) ?? 'the run'}` : ''}`;
    });
    return { verdict: 'fail', evidence: capped([...new Set(lines)], 15) };
  },
};

/** Every /_next/static answer a browser session or a probe got, as path + query. */
export function staticAnswers(events: readonly Stamped[]): Answer[] {
  const fromSessions = ofType(events, 'response').map((r) => ({
    t: r.t,
    url: pathOf(r.url),
    status: r.status,
    cache: r.cache,
    age: r.age,
    who: `session ${r.session}`,
  }));
  const fromProbes = ofType(events, 'probe')
    .filter((p) => !p.origin)
    .map((p) => ({ t: p.t, url: pathOf(p.url), status: p.status, cache: p.cache, age: p.age, who: `probe "${p.label}"` }));
  return [...fromSessions, ...fromProbes].filter((a) => a.url.includes('/_next/static/')).sort((a, b) => a.t - b.t);
}
