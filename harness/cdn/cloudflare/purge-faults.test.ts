import { getResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { PurgeRequest } from '../purge.ts';
import {
  CF_API_BASE,
  edgeErrorResponse,
  purgeApiHandlers,
  rateLimitedResponse,
  type PurgeApiRecord,
  type PurgeFaultAction,
} from './purge-api.ts';

const ZONE = '023e105f4ecef8ad9ca31a8372d0c353';
const TOKEN = 'skew-test-token-0123456789abcdefghijklmno';
const FILES = { files: ['https://www.example.com/', 'https://www.example.com/about'] };

describe('fault answers', () => {
  it("rateLimitedResponse is Cloudflare's 429 with code 971 and the rate-limit headers", async () => {
    const res = rateLimitedResponse(3);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('ratelimit')).toBe('"default";r=0;t=3');
    expect(res.headers.get('ratelimit-policy')).toBe('"default";q=1200;w=300');
    const json = (await res.json()) as { success: boolean; errors: { code: number; message: string }[]; result: unknown };
    expect(json).toMatchObject({ success: false, result: null });
    expect(json.errors[0]).toEqual({ code: 971, message: 'Please wait and consider throttling your request speed' });
  });

  it("edgeErrorResponse is the edge's HTML page, not JSON", async () => {
    const res = edgeErrorResponse(502);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    const text = await res.text();
    expect(text).toContain('<title>502 Bad Gateway</title>');
    expect(text).toContain('cloudflare');
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(await edgeErrorResponse(504).text()).toContain('504 Gateway Time-out');
    expect(await edgeErrorResponse(599).text()).toContain('599 Error');
  });
});

describe('purge API with an injected fault', () => {
  function api(fault: () => PurgeFaultAction | undefined) {
    const records: PurgeApiRecord[] = [];
    const purged: PurgeRequest[] = [];
    const handlers = purgeApiHandlers({
      zoneId: ZONE,
      token: TOKEN,
      purge: async (req) => {
        purged.push(req);
        return { evicted: 'files' in req ? req.files.map((f) => `key:${f}`) : [] };
      },
      onPurge: (r) => records.push(r),
      fault,
    });
    const post = async (body: unknown, init: { signal?: AbortSignal; token?: string } = {}) => {
      const res = await getResponse(
        handlers,
        new Request(`${CF_API_BASE}/zones/${ZONE}/purge_cache`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${init.token ?? TOKEN}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          ...(init.signal ? { signal: init.signal } : {}),
        }),
      );
      if (!res) throw new Error('no handler answered');
      return res;
    };
    return { records, purged, post };
  }

  it('rate-limit: 429 code 971, nothing purged, the record has the parsed request', async () => {
    const { records, purged, post } = api(() => ({ kind: 'rate-limit', retryAfterS: 3, fault: 'purge-rate-limit' }));
    const res = await post(FILES);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(purged).toEqual([]);
    expect(records).toEqual([
      {
        zone: ZONE,
        request: FILES,
        evicted: [],
        status: 429,
        errorCode: 971,
        note: 'rate limited, Retry-After 3 s (fault purge-rate-limit)',
      },
    ]);
  });

  it('server-error: the HTML 5xx page, recorded without a Cloudflare code', async () => {
    const { records, purged, post } = api(() => ({ kind: 'server-error', status: 502, fault: 'purge-server-error' }));
    const res = await post({ purge_everything: true });
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('502 Bad Gateway');
    expect(purged).toEqual([]);
    expect(records).toEqual([
      {
        zone: ZONE,
        request: { everything: true },
        evicted: [],
        status: 502,
        note: "edge 502 page instead of the API's answer (fault purge-server-error)",
      },
    ]);
  });

  it('does not spend the fault on a request it rejects anyway (wrong token)', async () => {
    let asked = 0;
    const { records, post } = api(() => {
      asked++;
      return { kind: 'rate-limit', retryAfterS: 1, fault: 'f' };
    });
    expect((await post(FILES, { token: 'nope' })).status).toBe(403);
    expect(asked).toBe(0);
    expect(records[0]).toMatchObject({ status: 403, errorCode: 10000 });
  });

  it('late: 200 at once, the eviction (and its record) only when applyAfter resolves', async () => {
    let apply!: () => void;
    const tracked: Promise<void>[] = [];
    const { records, purged, post } = api(() => ({
      kind: 'late',
      applyAfter: () => new Promise<void>((r) => (apply = r)),
      describe: '8000 ms late',
      fault: 'purge-late',
      track: (p) => void tracked.push(p),
    }));
    const res = await post(FILES);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { success: boolean }).success).toBe(true);
    expect(records).toEqual([
      { zone: ZONE, request: FILES, evicted: [], status: 200, note: 'accepted; applied 8000 ms late (fault purge-late)' },
    ]);
    await new Promise((r) => setTimeout(r, 10));
    expect(purged).toEqual([]);
    expect(records).toHaveLength(1);
    expect(tracked).toHaveLength(1);
    apply();
    await tracked[0];
    expect(purged).toEqual([FILES]);
    expect(records[1]).toEqual({
      zone: ZONE,
      request: FILES,
      evicted: ['key:https://www.example.com/', 'key:https://www.example.com/about'],
      status: 200,
      note: 'applied late (fault purge-late)',
    });
  });

  it('timeout: the client giving up ends the hold early, with a 504 page and a record saying so', async () => {
    const { records, purged, post } = api(() => ({ kind: 'timeout', holdMs: 60_000, fault: 'purge-timeout' }));
    const client = new AbortController();
    const started = Date.now();
    const answer = post(FILES, { signal: client.signal });
    await new Promise((r) => setTimeout(r, 30));
    expect(records).toEqual([]); // still held
    client.abort();
    const res = await answer;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(504);
    expect(purged).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ zone: ZONE, request: FILES, evicted: [], status: 504 });
    expect(records[0]!.note).toMatch(/^no answer for \d+ ms \(fault purge-timeout\); the client gave up; nothing purged$/);
  });

  it('timeout: without an abort, answers 504 after holdMs', async () => {
    const { records, post } = api(() => ({ kind: 'timeout', holdMs: 50, fault: 'purge-timeout' }));
    const res = await post(FILES);
    expect(res.status).toBe(504);
    expect(records[0]!.note).toMatch(/; then 504; nothing purged$/);
  });

  it('behaves normally when the fault decides undefined', async () => {
    const { records, purged, post } = api(() => undefined);
    expect((await post(FILES)).status).toBe(200);
    expect(purged).toEqual([FILES]);
    expect(records[0]).toMatchObject({ status: 200, evicted: ['key:https://www.example.com/', 'key:https://www.example.com/about'] });
  });
});
