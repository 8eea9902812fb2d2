import { ofType, type EventOf, type Stamped } from '../core/history.ts';
import { normalizeUrl } from '../core/cache-key.ts';
import { capped, type Check } from './check.ts';

const HASHED = /\/_next\/static\/(chunks|css|media)\//;

/**
 * The edge behaves as the rollback document says a CDN must:
 * - HTML is cached (a repeat is a HIT) and, after each deploy or rollback, the first request
 *   is a MISS with `Age: 0` — a lingering HIT with an Age means the purge did not happen;
 * - hashed static files are HITs on repeat and are never purged (they are immutable).
 */
export const cacheStatus: Check = {
  name: 'cache-status',
  description: 'HTML MISS then HIT, MISS with Age 0 after each deploy/rollback; hashed static HIT on repeat and never purged',
  fix: 'purge HTML entry points after the new origin serves (reload first, then purge), never /_next/static/*; check the CDN answers MISS with Age 0 right after the purge',
  judge({ events }) {
    // Origin probes bypass the cache on purpose: they say nothing about it.
    const probes = ofType(events, 'probe').filter((p) => !p.origin);
    if (probes.length === 0) return { verdict: 'inconclusive', evidence: ['no probe step ran'] };
    const ok: string[] = [];
    const bad: string[] = [];
    htmlRules(events, probes, ok, bad);
    staticRepeatRule(probes, ok, bad);
    purgeRule(events, ok, bad);
    return { verdict: bad.length ? 'fail' : 'pass', evidence: [...capped(bad, 15), ...ok] };
  },
};

function isHtml(p: EventOf<'probe'>): boolean {
  return p.version === undefined && !p.url.includes('/_next/');
}

function htmlRules(events: readonly Stamped[], probes: EventOf<'probe'>[], ok: string[], bad: string[]): void {
  const html = probes.filter(isHtml);
  // Each edge location has its own cache: a URL at one location is not the same URL at another.
  const where = (p: EventOf<'probe'>) => (p.location ? `[${p.location}] ` : '');
  const key = (p: EventOf<'probe'>) => `${p.location ?? ''} ${p.url}`;
  let repeats = 0;
  // A repeat within one probe step (same label, same URL, back to back) must be served from cache.
  for (let i = 1; i < html.length; i++) {
    const [a, b] = [html[i - 1]!, html[i]!];
    if (a.label !== b.label || key(a) !== key(b) || a.cache === 'DYNAMIC') continue;
    repeats++;
    if (b.cache !== 'HIT') bad.push(`${where(b)}${b.url} (${b.label}): repeat request was ${b.cache ?? 'uncached'}, expected HIT`);
  }
  if (repeats) ok.push(`${repeats} repeated HTML request(s) checked for HIT`);
  // The first HTML probe of each URL after a deploy/rollback must come fresh from the origin.
  const changes = ofType(events, 'deployer').filter((c) => c.action !== 'cleanup');
  let fresh = 0;
  for (const d of changes.filter((c) => c.ok)) {
    const seen = new Set<string>();
    for (const p of html.filter((h) => h.t > d.t)) {
      if (seen.has(key(p)) || p.cache === 'DYNAMIC') continue;
      seen.add(key(p));
      const next = changes.find((c) => c.t > d.t);
      if (next && p.t > next.t) continue;
      fresh++;
      if ((p.cache !== 'MISS' || p.age !== '0') && !cachedAfterPurge(events, p, { start: d.t - d.ms, end: d.t })) {
        bad.push(
          `${where(p)}${p.url} after ${d.action} ${d.version}: ${p.cache ?? 'no cache status'} with Age ${p.age ?? '-'}, expected MISS with Age 0 (the HTML purge did not reach ${p.location ? 'this location' : 'it'})`,
        );
      }
    }
  }
  if (fresh) ok.push(`${fresh} HTML request(s) after a deploy/rollback checked for MISS with Age 0`);
}

/**
 * A HIT is fresh too when the copy was cached after a purge that landed during the action: the
 * deployer's own verification (the document's `curl -sI` after the purge) fetched it first.
 */
function cachedAfterPurge(events: readonly Stamped[], p: EventOf<'probe'>, action: { start: number; end: number }): boolean {
  if (p.cache !== 'HIT' || p.age === null) return false;
  const path = p.url.startsWith('/') ? p.url : pathOfUrl(p.url);
  const landed = ofType(events, 'purge')
    .filter(
      (x) =>
        x.request &&
        x.status === 200 &&
        !x.note?.startsWith('accepted;') &&
        reached(x.note, p.location) &&
        x.t >= action.start &&
        x.t <= Math.min(action.end, p.t),
    )
    .filter(
      (x) =>
        'everything' in x.request! ||
        x.evicted.some((k) => pathOfKey(k) === path) ||
        ('files' in x.request! && x.request.files.some((f) => pathOfUrl(f) === path)),
    )
    .at(-1);
  return landed !== undefined && Number(p.age) <= Math.ceil((p.t - landed.t) / 1000);
}

/** Did the purge this record describes reach `location` when it was recorded? (notes from Stack.purge) */
export function reached(note: string | undefined, location: string | undefined): boolean {
  if (!location || !note?.startsWith('reached ')) return true;
  // Whole entries only: "east" must not match "us-east now".
  const entries = note.slice('reached '.length).split(', ');
  return entries.includes(`${location} now`) || entries.some((e) => new RegExp(`^${location} \\d+ ms late$`).test(e));
}

function staticRepeatRule(probes: EventOf<'probe'>[], ok: string[], bad: string[]): void {
  const hashed = probes.filter((p) => p.version !== undefined && HASHED.test(p.url));
  let repeats = 0;
  for (let i = 1; i < hashed.length; i++) {
    const [a, b] = [hashed[i - 1]!, hashed[i]!];
    if (a.url !== b.url || a.label !== b.label || a.status !== 200) continue;
    repeats++;
    if (b.cache !== 'HIT') bad.push(`${b.url}: repeat request was ${b.cache ?? 'uncached'}, expected HIT for a hashed static file`);
  }
  if (repeats) ok.push(`${repeats} repeated hashed static request(s) checked for HIT`);
}

function purgeRule(events: readonly Stamped[], ok: string[], bad: string[]): void {
  const purges = ofType(events, 'purge');
  for (const p of purges) {
    if (!p.request) continue; // rejected by the API: nothing was purged
    const hashedEvicted = p.evicted.filter((k) => HASHED.test(pathOfKey(k)));
    // Asking to purge hashed paths is the mistake; a purge_everything that happened to find
    // no hashed entry (an empty cache at the first deploy) cost nothing yet.
    const targetsHashed = !('everything' in p.request) && coversHashed(p.request);
    if (targetsHashed || hashedEvicted.length) {
      const misses = extraMisses(events, p.t, new Set(hashedEvicted.map(pathOfKey)));
      bad.push(
        `${p.by} purged hashed static assets (${describePurge(p.request)}): ${hashedEvicted.length} hashed entr${hashedEvicted.length === 1 ? 'y' : 'ies'} evicted, causing ${misses.length} extra origin miss${misses.length === 1 ? '' : 'es'} afterwards${misses.length ? ` (e.g. ${misses.slice(0, 3).join(', ')})` : ''}; the document says never purge /_next/static/chunks|css|media`,
      );
    }
  }
  if (purges.length)
    ok.push(
      `${purges.length} purge(s): ${purges.map((p) => (p.request ? `${describePurge(p.request)} evicted ${p.evicted.length}` : `rejected (${p.status} code ${p.errorCode})`)).join('; ')}`,
    );
}

/** Requests after `t` that missed the cache for a path the purge had evicted (browser and probes). */
function extraMisses(events: readonly Stamped[], t: number, evicted: Set<string>): string[] {
  const later = [...ofType(events, 'probe'), ...ofType(events, 'response')].filter((e) => e.t > t && e.cache === 'MISS');
  const seen = new Set<string>();
  for (const e of later) {
    const path = e.url.startsWith('/') ? e.url : pathOfUrl(e.url);
    if (evicted.has(path)) seen.add(path);
  }
  return [...seen];
}

function pathOfUrl(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

function coversHashed(r: NonNullable<EventOf<'purge'>['request']>): boolean {
  if ('everything' in r) return true;
  if ('prefixes' in r)
    return r.prefixes.some((p) => {
      const path = `/${normalizeUrl(p).split('/').slice(1).join('/')}`;
      return '/_next/static/chunks/'.startsWith(path) || HASHED.test(path);
    });
  if ('files' in r) return r.files.some((f) => HASHED.test(`/${normalizeUrl(f).split('/').slice(1).join('/')}`));
  return false;
}

function pathOfKey(key: string): string {
  const hp = normalizeUrl(key.split('|')[0]!);
  return hp.slice(hp.indexOf('/'));
}

function describePurge(r: NonNullable<EventOf<'purge'>['request']>): string {
  if ('everything' in r) return 'purge_everything';
  if ('tags' in r) return `tags [${r.tags.length}]`;
  if ('files' in r) return `files [${r.files.length}]`;
  if ('prefixes' in r) return `prefixes [${r.prefixes.join(', ')}]`;
  return `hosts [${r.hosts.join(', ')}]`;
}
