import { randomBytes } from 'node:crypto';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { PurgeRequest } from '../purge.ts';

/**
 * Cloudflare's cache purge API (`POST /client/v4/zones/:zone_id/purge_cache`), mocked with msw
 * and wired to our nginx edge, so a deployer under test purges "Cloudflare" exactly as in
 * production (its own curl, its own SDK) and the edge really evicts. Validation mirrors what
 * Cloudflare answers, because a deployer that ignores a failed purge is part of what we judge.
 *
 * Cloudflare publishes no complete, current error list for this endpoint. Every code below names
 * its source: a real response quoted in a public issue, or Cloudflare's legacy v4 API reference
 * (api.cloudflare.com "Zone" errors, copied verbatim into several client libraries). Where the
 * status or wording is our choice, the comment says so. docs/cloudflare-purge-api.md has the table.
 */
export const CF_API_BASE = 'https://api.cloudflare.com/client/v4';

/**
 * Per request, for each of files, tags, hosts and prefixes. developers.cloudflare.com/cache/how-to/
 * purge-cache/ ("Purge limits": max operations per request 100 on Free/Pro/Business; Enterprise
 * 500 single-file URLs, not simulated); cloudflare-docs PR #32906 moved hostname/tag/prefix pages
 * from 30 to 100 ("The 100 applies per key type"). Older pages still say 30 URLs.
 */
export const MAX_ITEMS_PER_REQUEST = 100;

/** What a valid body asks for: the edge's request, or tags (which our edge cannot match). */
export type ApiPurgeRequest = PurgeRequest | { tags: string[] };

export interface CfError {
  code: number;
  message: string;
  /** Cloudflare nests the precise cause of a 6003 here. */
  error_chain?: CfError[];
}

export type ParsedPurge = { ok: true; request: ApiPurgeRequest } | { ok: false; status: number; code: number; message: string };

/** One call of the API, accepted or not: evidence for the run's history. */
export interface PurgeApiRecord {
  /** Zone id from the URL (may be a wrong one). */
  zone: string;
  /** The normalized request, when the body was valid. */
  request?: ApiPurgeRequest;
  /** What was sent, when it was rejected: the parsed JSON, or the raw text if it was not JSON. */
  body?: unknown;
  /** Cache keys the edge evicted. */
  evicted: string[];
  status: number;
  /** Cloudflare's error code, when rejected. */
  errorCode?: number;
  note?: string;
}

export interface PurgeApiOptions {
  zoneId: string;
  token: string;
  /** Evicts; `reach` says how the purge spread over the edge locations (for the record). */
  purge: (req: PurgeRequest) => Promise<{ evicted: string[]; reach?: string }>;
  onPurge?: (r: PurgeApiRecord) => void;
  /** Runs after an accepted purge, before the answer goes back: traffic "while the deploy runs". */
  afterPurge?: () => Promise<void>;
  /** An injected fault's decision for this (valid, authorized) request; undefined = behave. */
  fault?: () => PurgeFaultAction | undefined;
}

/** What an injected purge-API fault does to one request (harness/faults/purge-*.ts). */
export type PurgeFaultAction =
  /** 429 with Cloudflare's rate-limit answer (code 971) and its Retry-After / Ratelimit headers. */
  | { kind: 'rate-limit'; retryAfterS: number; fault: string }
  /** A 5xx from Cloudflare's edge in front of the API: an HTML error page, not the JSON envelope. */
  | { kind: 'server-error'; status: 500 | 502 | 503 | 504; fault: string }
  /** No answer for `holdMs` (or until the client gives up), then a 504 page; nothing is purged. */
  | { kind: 'timeout'; holdMs: number; fault: string }
  /** Accepted at once (200, success), evicted only after `applyAfter` resolves. */
  | { kind: 'late'; applyAfter: () => Promise<void>; describe: string; fault: string; track: (applied: Promise<void>) => void };

/**
 * Cloudflare's rate-limit answer: HTTP 429, `{"code":971,"message":"Please wait and consider
 * throttling your request speed"}` (quoted in cloudflare/terraform-provider-cloudflare reports
 * and several API clients' tests), with the headers of developers.cloudflare.com/fundamentals/
 * api/reference/limits: `Retry-After` (seconds, only when limited), `Ratelimit`, `Ratelimit-Policy`.
 */
export function rateLimitedResponse(retryAfterS: number): Response {
  return HttpResponse.json(
    {
      success: false as const,
      errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
      messages: [],
      result: null,
    },
    {
      status: 429,
      headers: {
        'retry-after': String(retryAfterS),
        ratelimit: `"default";r=0;t=${retryAfterS}`,
        'ratelimit-policy': '"default";q=1200;w=300',
      },
    },
  );
}

/** The HTML page Cloudflare's edge serves for a 5xx of the API behind it (not JSON: clients that parse blindly break). */
export function edgeErrorResponse(status: number): Response {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  return new HttpResponse(
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`,
    { status, headers: { 'content-type': 'text/html', server: 'cloudflare' } },
  );
}

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

interface Failure {
  status: number;
  errors: CfError[];
}

const fail = (status: number, code: number, message: string): Failure => ({ status, errors: [{ code, message }] });
const bodyError = (code: number, message: string): ParsedPurge => ({ ok: false, status: 400, code, message });

/** 400 1012, verbatim in cloudflare/python-cloudflare#179 and community.cloudflare.com t/395157. */
const MUST_CONTAIN_ONE = 'Request must contain one of "purge_everything", "files", "tags", "hosts" or "prefixes"';
/** 400 1014, verbatim from a real response in cloudflare/cloudflare-php#61. */
const MUST_BE_ARRAY = '"files", "tags", or "hosts" must be an array';
/** Legacy reference: 1094 files, 1101 tags, 1111 hosts. Prefixes have no published code: we reuse 1111 (a guess). */
const TOO_MANY_CODE = { files: 1094, tags: 1101, hosts: 1111, prefixes: 1111 } as const;
const LIST_KEYS = ['files', 'tags', 'hosts', 'prefixes'] as const;
const ALL_KEYS = ['purge_everything', ...LIST_KEYS] as const;
type ListKey = (typeof LIST_KEYS)[number];

/** Invalid JSON is answered with 1012 too: community.cloudflare.com t/395157 (`{"files":[{""}]}` → 1012). */
export function parsePurgeText(text: string): ParsedPurge {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bodyError(1012, MUST_CONTAIN_ONE);
  }
  return parsePurgeBody(json);
}

/** Pure validation of a parsed body, in Cloudflare's terms (status, code, message). */
export function parsePurgeBody(json: unknown): ParsedPurge {
  if (!isPlainObject(json)) return bodyError(1012, MUST_CONTAIN_ONE);
  const present = ALL_KEYS.filter((k) => k in json);
  // Exactly one kind per request: t/395157 shows `hosts` + `files` answered with 1012.
  if (present.length !== 1) return bodyError(1012, MUST_CONTAIN_ONE);
  const key = present[0] as (typeof ALL_KEYS)[number];
  if (key === 'purge_everything') {
    // 1013 "'purge_everything' must be true" (legacy reference); quotes as in the real 1014.
    return json.purge_everything === true
      ? { ok: true, request: { everything: true } }
      : bodyError(1013, '"purge_everything" must be true');
  }
  return parseList(key, json[key]);
}

function parseList(key: ListKey, value: unknown): ParsedPurge {
  if (!Array.isArray(value)) return bodyError(1014, MUST_BE_ARRAY);
  // An empty list purges nothing; we reject it like a missing key (our assumption, see the doc).
  if (value.length === 0) return bodyError(1012, MUST_CONTAIN_ONE);
  if (value.length > MAX_ITEMS_PER_REQUEST) {
    return bodyError(
      TOO_MANY_CODE[key],
      `Exceeded maximum amount of ${MAX_ITEMS_PER_REQUEST} ${key} that can be purged on a single request`,
    );
  }
  const items: string[] = [];
  for (const raw of value) {
    const item = key === 'files' ? fileUrl(raw) : raw;
    // A wrong item is a body Cloudflare cannot read: t/213540 shows a files object without `url` → 1012.
    if (typeof item !== 'string' || item === '') return bodyError(1012, MUST_CONTAIN_ONE);
    const problem = ITEM_CHECKS[key](item);
    if (problem) return problem;
    items.push(item);
  }
  if (key === 'files') return { ok: true, request: { files: items } };
  if (key === 'tags') return { ok: true, request: { tags: items } };
  if (key === 'hosts') return { ok: true, request: { hosts: items } };
  return { ok: true, request: { prefixes: items } };
}

/** `files` holds URLs or `{url, headers}` (headers select a cache-key variant; our edge keys on URL only). */
function fileUrl(raw: unknown): unknown {
  if (typeof raw === 'string') return raw;
  if (!isPlainObject(raw)) return undefined;
  if (raw.headers !== undefined && !isPlainObject(raw.headers)) return undefined;
  return raw.url;
}

/**
 * 1015 "Unable to purge <url>" (legacy reference); today's wording from cloudflare-docs#25277
 * ("Unable to purge /path/to/image.jpg, which is an invalid URL.").
 */
const invalidUrl = (u: string): ParsedPurge => bodyError(1015, `Unable to purge ${u}, which is an invalid URL.`);

const ITEM_CHECKS: Record<ListKey, (item: string) => ParsedPurge | undefined> = {
  // Files are absolute URLs: a bare path is rejected (cloudflare-docs#25277).
  files: (u) => (isAbsoluteHttpUrl(u) ? undefined : invalidUrl(u)),
  // 1100 (legacy reference).
  tags: (t) => (t.length > 1024 ? bodyError(1100, 'Tag exceeds maximum length of 1024 characters') : undefined),
  // 1114 and 1115 (legacy reference): a hostname, no scheme, port or path.
  hosts: (h) =>
    h.length > 200
      ? bodyError(1114, 'Host exceeds maximum length of 200 characters')
      : HOSTNAME.test(h)
        ? undefined
        : bodyError(1115, 'Invalid host'),
  // purge_by_prefix docs: `host/path` without scheme, no query string or fragment, at most 31
  // path separators. The code for a bad prefix is not published: we answer like a bad URL (1015).
  prefixes: (p) => (isValidPrefix(p) ? undefined : invalidUrl(p)),
};

const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

function isAbsoluteHttpUrl(u: string): boolean {
  if (!/^https?:\/\//i.test(u)) return false;
  try {
    return new URL(u).hostname !== '';
  } catch {
    return false;
  }
}

function isValidPrefix(p: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.includes('?') || p.includes('#')) return false;
  const slash = p.indexOf('/');
  const host = slash < 0 ? p : p.slice(0, slash);
  return HOSTNAME.test(host) && (p.match(/\//g)?.length ?? 0) <= 31;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Authorization: only an API token (`Authorization: Bearer …`) is accepted here.
 * - no credentials at all: 400 9106, cloudflare/cloudflare-python#2678 (HTTP 400) and
 *   xiaotianxt/bypass-cloudflare-for-github-action#2;
 * - an Authorization header that is not `Bearer <token>`: 400 6003 with error_chain 6111,
 *   siennathesane/cloudflare-sync#4 (HTTP 400);
 * - a wrong token, or legacy X-Auth-Key/X-Auth-Email credentials (not simulated): 403 10000,
 *   cloudflare/terraform-provider-cloudflare#913 (HTTP 403 "Authentication error").
 */
export function checkAuth(headers: Headers, token: string): Failure | undefined {
  const auth = headers.get('authorization');
  if (auth === null) {
    if (headers.has('x-auth-key') || headers.has('x-auth-email')) return fail(403, 10000, 'Authentication error');
    return fail(400, 9106, 'Missing X-Auth-Key, X-Auth-Email or Authorization headers');
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m) {
    return {
      status: 400,
      errors: [
        {
          code: 6003,
          message: 'Invalid request headers',
          error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }],
        },
      ],
    };
  }
  return m[1] === token ? undefined : fail(403, 10000, 'Authentication error');
}

/**
 * 7003 then 7000, as in timothymiller/cloudflare-ddns#152 and lukesUbuntu/cloudflare-api#4. The
 * HTTP status of these is not published: 404 is our choice (a routing failure).
 */
export function noRoute(path: string): Failure {
  return {
    status: 404,
    errors: [
      { code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` },
      { code: 7000, message: 'No route for that URI' },
    ],
  };
}

/** Cloudflare's envelope for a failure. */
export function failureResponse(f: Failure): HttpResponse<{ success: false; errors: CfError[]; messages: never[]; result: null }> {
  return HttpResponse.json({ success: false as const, errors: f.errors, messages: [], result: null }, { status: f.status });
}

export function purgeApiHandlers(opts: PurgeApiOptions): HttpHandler[] {
  return [
    http.post(`${CF_API_BASE}/zones/:zoneId/purge_cache`, async ({ request, params }) => {
      const zone = String(params.zoneId);
      const text = await request.text();
      const reject = (f: Failure) => {
        opts.onPurge?.({ zone, body: bodyForRecord(text), evicted: [], status: f.status, errorCode: f.errors[0]?.code });
        return failureResponse(f);
      };
      const authFailure = checkAuth(request.headers, opts.token);
      if (authFailure) return reject(authFailure);
      if (zone !== opts.zoneId) return reject(noRoute(new URL(request.url).pathname));
      const parsed = parsePurgeText(text);
      if (!parsed.ok) return reject({ status: parsed.status, errors: [{ code: parsed.code, message: parsed.message }] });
      const { request: req } = parsed;
      // Tags are not stored by this edge: a fault has nothing to act on there, so none is used up.
      const injected = 'tags' in req ? undefined : opts.fault?.();
      if (injected && injected.kind !== 'late')
        return answerFault(injected, request, (r) => opts.onPurge?.({ zone, request: req, evicted: [], ...r }));
      let evicted: string[] = [];
      let note: string | undefined;
      if ('tags' in req) {
        note = 'tags are not stored by this edge';
      } else {
        try {
          if (injected?.kind === 'late') {
            // Accepted now, applied later: the record of the eviction comes when it happens.
            opts.onPurge?.({
              zone,
              request: req,
              evicted: [],
              status: 200,
              note: `accepted; applied ${injected.describe} (fault ${injected.fault})`,
            });
            injected.track(
              injected
                .applyAfter()
                .then(() => opts.purge(req))
                .then(
                  (r) =>
                    opts.onPurge?.({ zone, request: req, evicted: r.evicted, status: 200, note: `applied late (fault ${injected.fault})` }),
                  (e: unknown) =>
                    opts.onPurge?.({
                      zone,
                      request: req,
                      evicted: [],
                      status: 500,
                      errorCode: 1016,
                      note: `late purge failed: ${String(e)}`,
                    }),
                ),
            );
            await opts.afterPurge?.();
            return HttpResponse.json({ success: true, errors: [], messages: [], result: { id: randomBytes(16).toString('hex') } });
          }
          const done = await opts.purge(req);
          evicted = done.evicted;
          if (done.reach) note = `reached ${done.reach}`;
        } catch (e) {
          // Our edge failed to evict: a harness fault, answered with 1016 "Unable to purge any urls"
          // (legacy reference) and 500, never something Cloudflare answers for a valid request.
          opts.onPurge?.({ zone, request: req, evicted: [], status: 500, errorCode: 1016, note: `edge purge failed: ${String(e)}` });
          return failureResponse(fail(500, 1016, 'Unable to purge any urls'));
        }
      }
      opts.onPurge?.({ zone, request: req, evicted, status: 200, ...(note ? { note } : {}) });
      await opts.afterPurge?.();
      // The success envelope as documented (developers.cloudflare.com/api/resources/cache/methods/purge/).
      return HttpResponse.json({ success: true, errors: [], messages: [], result: { id: randomBytes(16).toString('hex') } });
    }),
    // Anything else under the API answers like Cloudflare instead of escaping to the real internet
    // (the in-process server bypasses unhandled requests so that our own edge stays reachable).
    http.all(`${CF_API_BASE}/*`, ({ request }) => failureResponse(noRoute(new URL(request.url).pathname))),
  ];
}

/** Answers a valid request the way the injected fault says, and records what happened. */
async function answerFault(
  f: Exclude<PurgeFaultAction, { kind: 'late' }>,
  request: Request,
  record: (r: Pick<PurgeApiRecord, 'status' | 'errorCode' | 'note'>) => void,
): Promise<Response> {
  if (f.kind === 'rate-limit') {
    record({ status: 429, errorCode: 971, note: `rate limited, Retry-After ${f.retryAfterS} s (fault ${f.fault})` });
    return rateLimitedResponse(f.retryAfterS);
  }
  if (f.kind === 'server-error') {
    record({ status: f.status, note: `edge ${f.status} page instead of the API's answer (fault ${f.fault})` });
    return edgeErrorResponse(f.status);
  }
  const started = Date.now();
  const gaveUp =
    request.signal.aborted ||
    (await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), f.holdMs);
      request.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        { once: true },
      );
    }));
  record({
    status: 504,
    note: `no answer for ${Date.now() - started} ms (fault ${f.fault}); ${gaveUp ? 'the client gave up' : 'then 504'}; nothing purged`,
  });
  return edgeErrorResponse(504);
}

function bodyForRecord(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  }
}
