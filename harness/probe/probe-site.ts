/**
 * The rollback document's verification (Step 5 and the FAQ), runnable against any URL: the
 * edge of a scenario or a team's own staging site. Reads the active build id from the HTML,
 * checks `_buildManifest.js` and a sample of the page's chunks answer 200, and reads the cache
 * status and `Age` of the HTML (Cloudflare's CF-Cache-Status, or a generic X-Cache).
 */
export interface ProbeOptions {
  /** Right after a purge: the HTML must be a MISS with Age 0; a HIT means it did not propagate. */
  afterPurge?: boolean;
  /** At most this many chunk URLs from the page are checked. */
  maxChunks?: number;
  /** A HIT older than this (seconds) is reported as possibly stale. */
  staleAgeSeconds?: number;
  fetch?: typeof fetch;
  /** Each request's limit (a server that accepts and never answers must not hang the probe). Default 10 s. */
  timeoutMs?: number;
}

export const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeFinding {
  ok: boolean;
  what: string;
  detail: string;
}

export interface ProbeResult {
  url: string;
  buildId: string | null;
  deploymentId: string | null;
  html: { status: number; cacheStatus: string | null; age: number | null };
  findings: ProbeFinding[];
  ok: boolean;
}

/** A /_next/static URL with what comes before it in the path: a basePath or a path assetPrefix (`/docs/_next/static/…`). */
const STATIC_REF = /(?<=["'(\s=])(?:\/[\w.~-]+)*\/_next\/static\/[^"'\s)<>\\]+/g;

/** The deployment id a page names: Next 16's `data-dpl-id`, else the `?dpl=` of its asset URLs (Next 14 and 15). */
export function deploymentIdOfPage(html: string): string | undefined {
  return /data-dpl-id="([^"]+)"/.exec(html)?.[1] ?? /[?&](?:amp;)?dpl=([A-Za-z0-9_-]+)/.exec(html)?.[1];
}

/** Every /_next/static URL an HTML page references (scripts, styles, preloads), once each, basePath included. */
export function staticRefs(html: string): string[] {
  return [...new Set((html.match(STATIC_REF) ?? []).map((u) => u.replace(/&amp;/g, '&')))];
}
const MANIFEST = /((?:\/[\w.~-]+)*)\/_next\/static\/([^/"'\s?]+)\/_(?:build|ssg)Manifest\.js/;

export async function probeSite(url: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const raw = opts.fetch ?? fetch;
  // Every request, its body included, is bounded: AbortSignal.timeout ends it with a TimeoutError.
  const get = (input: string | URL, init: RequestInit) => raw(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const findings: ProbeFinding[] = [];
  const res = await get(url, { redirect: 'follow' });
  const body = await res.text();
  const cacheStatus = res.headers.get('cf-cache-status') ?? res.headers.get('x-cache') ?? null;
  const ageHeader = res.headers.get('age');
  const age = ageHeader === null ? null : Number(ageHeader);
  findings.push({ ok: res.ok, what: 'HTML', detail: `${res.status} ${url}` });

  const deploymentId = deploymentIdOfPage(body) ?? null;
  const manifestRef = MANIFEST.exec(body);
  const buildId = manifestRef?.[2] ?? deploymentId;
  const staticBase = manifestRef?.[1] ?? '';
  if (!buildId)
    findings.push({
      ok: false,
      what: 'build id',
      detail: 'no /_next/static/<buildId>/_buildManifest.js and no deployment id in the HTML: is this a Next.js page?',
    });

  if (buildId) {
    const manifest = new URL(
      `${staticBase}/_next/static/${buildId}/_buildManifest.js${deploymentId ? `?dpl=${deploymentId}` : ''}`,
      url,
    ).toString();
    const m = await get(manifest, { method: 'HEAD' });
    findings.push({ ok: m.status === 200, what: 'build manifest', detail: `${m.status} ${pathOf(manifest)} (expect 200)` });
  }

  const chunks = staticRefs(body)
    .filter((u) => !MANIFEST.test(u))
    .slice(0, opts.maxChunks ?? 20);
  const answers = await Promise.all(chunks.map(async (c) => ({ c, status: (await get(new URL(c, url), { method: 'HEAD' })).status })));
  const missing = answers.filter((a) => a.status !== 200);
  findings.push({
    ok: chunks.length > 0 && missing.length === 0,
    what: 'chunks',
    detail:
      chunks.length === 0
        ? 'the page references no /_next/static files'
        : missing.length
          ? `${missing.length}/${chunks.length} failed: ${missing.map((a) => `${a.status} ${a.c}`).join(', ')}`
          : `${chunks.length}/${chunks.length} answered 200`,
  });

  findings.push(cacheFinding(cacheStatus, age, opts));
  return { url, buildId, deploymentId, html: { status: res.status, cacheStatus, age }, findings, ok: findings.every((f) => f.ok) };
}

/** The FAQ: MISS + Age 0 right after a purge; a lingering HIT with an Age means it did not reach this location. */
function cacheFinding(status: string | null, age: number | null, opts: ProbeOptions): ProbeFinding {
  const what = 'HTML cache';
  if (status === null)
    return {
      ok: !opts.afterPurge,
      what,
      detail: `no CF-Cache-Status or X-Cache header${age !== null ? `, Age ${age}` : ''}: cannot tell whether the CDN purge took effect`,
    };
  const hit = /HIT/i.test(status);
  const detail = `${status}, Age ${age ?? '-'}`;
  if (opts.afterPurge && hit)
    return { ok: false, what, detail: `${detail}: purge not propagated (a HIT right after a purge is the old HTML)` };
  if (hit && age !== null && age > (opts.staleAgeSeconds ?? 600))
    return {
      ok: true,
      what,
      detail: `${detail}: served from cache for ${age} s — if a deploy happened since, the purge did not reach this location`,
    };
  return { ok: true, what, detail };
}

function pathOf(u: string): string {
  const x = new URL(u);
  return x.pathname + x.search;
}
