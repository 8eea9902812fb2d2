import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PurgeRequest } from '../purge.ts';
import { startInProcess, type InProcessPurgeApi } from './in-process.ts';
import { CF_API_BASE, MAX_ITEMS_PER_REQUEST, parsePurgeBody, parsePurgeText, purgeApiHandlers, type PurgeApiRecord } from './purge-api.ts';

const ZONE = '023e105f4ecef8ad9ca31a8372d0c353';
const TOKEN = 'skew-test-token-0123456789abcdefghijklmno';
const MUST_CONTAIN_ONE = 'Request must contain one of "purge_everything", "files", "tags", "hosts" or "prefixes"';
const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://www.example.com/p${i}`);

describe('parsePurgeBody (pure)', () => {
  const rejects = (body: unknown, code: number, message?: string) => {
    const r = parsePurgeBody(body);
    expect(r).toMatchObject({ ok: false, status: 400, code, ...(message ? { message } : {}) });
  };

  it('accepts each kind and normalizes it to the edge request', () => {
    expect(parsePurgeBody({ files: ['https://www.example.com/'] })).toEqual({ ok: true, request: { files: ['https://www.example.com/'] } });
    expect(parsePurgeBody({ prefixes: ['www.example.com/foo'] })).toEqual({ ok: true, request: { prefixes: ['www.example.com/foo'] } });
    expect(parsePurgeBody({ hosts: ['www.example.com'] })).toEqual({ ok: true, request: { hosts: ['www.example.com'] } });
    expect(parsePurgeBody({ tags: ['html'] })).toEqual({ ok: true, request: { tags: ['html'] } });
    expect(parsePurgeBody({ purge_everything: true })).toEqual({ ok: true, request: { everything: true } });
  });

  it('maps files given as {url, headers} objects to their url, also mixed with strings', () => {
    const body = {
      files: ['http://a.example/x', { url: 'http://a.example/y', headers: { 'CF-IPCountry': 'US' } }, { url: 'http://a.example/z' }],
    };
    expect(parsePurgeBody(body)).toEqual({
      ok: true,
      request: { files: ['http://a.example/x', 'http://a.example/y', 'http://a.example/z'] },
    });
  });

  it('1012 when the body holds none of the keys, or more than one', () => {
    rejects({}, 1012, MUST_CONTAIN_ONE);
    rejects({ urls: ['https://www.example.com/'] }, 1012);
    rejects({ hosts: ['a.example'], files: ['https://a.example/'] }, 1012);
    rejects({ purge_everything: true, files: ['https://a.example/'] }, 1012);
    rejects({ purge_everything: false, tags: ['x'] }, 1012);
  });

  it('1012 when the body is not a JSON object, or not JSON at all', () => {
    for (const body of [null, [], 'files', 42, true]) rejects(body, 1012);
    expect(parsePurgeText('{"files":[{""}]}')).toMatchObject({ ok: false, status: 400, code: 1012, message: MUST_CONTAIN_ONE });
    expect(parsePurgeText('')).toMatchObject({ ok: false, code: 1012 });
    expect(parsePurgeText('{"purge_everything":true}')).toEqual({ ok: true, request: { everything: true } });
  });

  it('1013 unless purge_everything is exactly true', () => {
    for (const v of [false, 'true', 1, null]) rejects({ purge_everything: v }, 1013, '"purge_everything" must be true');
  });

  it('1014 when a list is not an array', () => {
    for (const key of ['files', 'tags', 'hosts', 'prefixes'])
      rejects({ [key]: 'https://www.example.com/' }, 1014, '"files", "tags", or "hosts" must be an array');
    rejects({ files: { url: 'https://www.example.com/' } }, 1014);
  });

  it('1012 for items of the wrong type, files objects without url, and empty lists', () => {
    rejects({ files: [42] }, 1012);
    rejects({ files: [{ headers: { Origin: 'https://www.example.com' } }] }, 1012);
    rejects({ files: [{ url: 'https://a.example/', headers: 'x' }] }, 1012);
    rejects({ tags: [null] }, 1012);
    rejects({ hosts: [['a.example']] }, 1012);
    rejects({ prefixes: [''] }, 1012);
    rejects({ files: [] }, 1012);
  });

  it(`takes ${MAX_ITEMS_PER_REQUEST} items per request and rejects ${MAX_ITEMS_PER_REQUEST + 1} with the per-kind code`, () => {
    const n = MAX_ITEMS_PER_REQUEST;
    const lists = {
      files: { ok: urls(n), code: 1094 },
      tags: { ok: Array.from({ length: n }, (_, i) => `t${i}`), code: 1101 },
      hosts: { ok: Array.from({ length: n }, (_, i) => `h${i}.example.com`), code: 1111 },
      prefixes: { ok: Array.from({ length: n }, (_, i) => `www.example.com/d${i}`), code: 1111 },
    };
    for (const [key, { ok, code }] of Object.entries(lists)) {
      expect(parsePurgeBody({ [key]: ok }).ok).toBe(true);
      rejects({ [key]: [...ok, ok[0]] }, code, `Exceeded maximum amount of 100 ${key} that can be purged on a single request`);
    }
  });

  it('rejects prefixes with a scheme, a query string, a fragment or more than 31 path separators', () => {
    rejects({ prefixes: ['https://www.example.com/foo'] }, 1015, 'Unable to purge https://www.example.com/foo, which is an invalid URL.');
    rejects({ prefixes: ['http://www.example.com'] }, 1015);
    rejects({ prefixes: ['www.example.com/foo?a=b'] }, 1015);
    rejects({ prefixes: ['www.example.com/foo#bar'] }, 1015);
    rejects({ prefixes: ['/foo/bar'] }, 1015);
    expect(parsePurgeBody({ prefixes: [`www.example.com${'/a'.repeat(31)}`] }).ok).toBe(true);
    rejects({ prefixes: [`www.example.com${'/a'.repeat(32)}`] }, 1015);
  });

  it('rejects files that are not absolute http(s) URLs, and bad hosts and tags', () => {
    rejects({ files: ['/about'] }, 1015, 'Unable to purge /about, which is an invalid URL.');
    rejects({ files: ['www.example.com/about'] }, 1015);
    rejects({ files: ['ftp://www.example.com/about'] }, 1015);
    rejects({ hosts: ['https://www.example.com'] }, 1115, 'Invalid host');
    rejects({ hosts: ['www.example.com/foo'] }, 1115);
    rejects({ hosts: [`${'a'.repeat(201)}`] }, 1114);
    rejects({ tags: ['x'.repeat(1025)] }, 1100);
    expect(parsePurgeBody({ tags: ['x'.repeat(1024)] }).ok).toBe(true);
  });
});

describe('purge API over in-process msw', () => {
  const purges: PurgeRequest[] = [];
  const records: PurgeApiRecord[] = [];
  let api: InProcessPurgeApi;
  let failPurge = false;

  beforeAll(() => {
    api = startInProcess(
      purgeApiHandlers({
        zoneId: ZONE,
        token: TOKEN,
        purge: async (req) => {
          if (failPurge) throw new Error('disk gone');
          purges.push(req);
          return { evicted: 'files' in req ? req.files.map((f) => `key:${f}`) : [] };
        },
        onPurge: (r) => records.push(r),
      }),
    );
  });
  afterAll(() => api.close());
  beforeEach(() => {
    purges.length = 0;
    records.length = 0;
    failPurge = false;
  });

  const post = (body: unknown, opts: { zone?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${CF_API_BASE}/zones/${opts.zone ?? ZONE}/purge_cache`, {
      method: 'POST',
      headers: opts.headers ?? { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const expectFailure = async (res: Response, status: number, codes: number[]) => {
    expect(res.status).toBe(status);
    const json = (await res.json()) as {
      success: boolean;
      errors: { code: number; message: string }[];
      messages: unknown[];
      result: unknown;
    };
    expect(json).toEqual({ success: false, errors: expect.any(Array), messages: [], result: null });
    expect(json.errors.map((e) => e.code)).toEqual(codes);
    return json;
  };

  it('answers success with a random 32-hex id and evicts through purge(), recording the call', async () => {
    const res = await post({
      files: ['https://www.example.com/', { url: 'https://www.example.com/about', headers: { Origin: 'https://www.example.com' } }],
    });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { result: { id: string } };
    expect(json).toEqual({ success: true, errors: [], messages: [], result: { id: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const again = (await (await post({ purge_everything: true })).json()) as { result: { id: string } };
    expect(again.result.id).not.toBe(json.result.id);
    expect(purges).toEqual([{ files: ['https://www.example.com/', 'https://www.example.com/about'] }, { everything: true }]);
    expect(records[0]).toEqual({
      zone: ZONE,
      status: 200,
      request: { files: ['https://www.example.com/', 'https://www.example.com/about'] },
      evicted: ['key:https://www.example.com/', 'key:https://www.example.com/about'],
    });
  });

  it('passes prefixes and hosts through unchanged', async () => {
    expect((await post({ prefixes: ['www.example.com/blog/'] })).status).toBe(200);
    expect((await post({ hosts: ['www.example.com'] })).status).toBe(200);
    expect(purges).toEqual([{ prefixes: ['www.example.com/blog/'] }, { hosts: ['www.example.com'] }]);
  });

  it('accepts tags, evicts nothing and says so in the record', async () => {
    const res = await post({ tags: ['html', 'page:/'] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { success: boolean }).success).toBe(true);
    expect(purges).toEqual([]);
    expect(records).toEqual([
      { zone: ZONE, status: 200, request: { tags: ['html', 'page:/'] }, evicted: [], note: 'tags are not stored by this edge' },
    ]);
  });

  it('authenticates like Cloudflare: missing (400 9106), malformed (400 6003/6111), wrong (403 10000)', async () => {
    await expectFailure(await post({ purge_everything: true }, { headers: { 'Content-Type': 'application/json' } }), 400, [9106]);
    const malformed = await expectFailure(await post({ purge_everything: true }, { headers: { Authorization: TOKEN } }), 400, [6003]);
    expect(malformed.errors[0]).toEqual({
      code: 6003,
      message: 'Invalid request headers',
      error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }],
    });
    await expectFailure(await post({ purge_everything: true }, { headers: { Authorization: 'Bearer ' } }), 400, [6003]);
    const wrong = await expectFailure(await post({ purge_everything: true }, { headers: { Authorization: 'Bearer nope' } }), 403, [10000]);
    expect(wrong.errors[0]?.message).toBe('Authentication error');
    await expectFailure(
      await post({ purge_everything: true }, { headers: { 'X-Auth-Email': 'a@example.com', 'X-Auth-Key': 'k' } }),
      403,
      [10000],
    );
    expect(purges).toEqual([]);
  });

  it('answers a wrong zone with 7003 + 7000 naming the path, and never purges', async () => {
    const json = await expectFailure(await post({ purge_everything: true }, { zone: 'example.com' }), 404, [7003, 7000]);
    expect(json.errors[0]?.message).toBe(
      'Could not route to /client/v4/zones/example.com/purge_cache, perhaps your object identifier is invalid?',
    );
    expect(purges).toEqual([]);
    expect(records).toEqual([{ zone: 'example.com', body: { purge_everything: true }, evicted: [], status: 404, errorCode: 7003 }]);
  });

  it('answers body errors with 400 and their code, and records them (with the body) for the history', async () => {
    await expectFailure(await post('{"files":[{""}]}'), 400, [1012]);
    await expectFailure(await post({}), 400, [1012]);
    await expectFailure(await post({ purge_everything: false }), 400, [1013]);
    await expectFailure(await post({ files: 'https://www.example.com/' }), 400, [1014]);
    await expectFailure(await post({ files: urls(101) }), 400, [1094]);
    await expectFailure(await post({ prefixes: ['https://www.example.com/'] }), 400, [1015]);
    expect(purges).toEqual([]);
    expect(records.map((r) => [r.status, r.errorCode])).toEqual([
      [400, 1012],
      [400, 1012],
      [400, 1013],
      [400, 1014],
      [400, 1094],
      [400, 1015],
    ]);
    expect(records[0]?.body).toBe('{"files":[{""}]}');
    expect(records[2]).toEqual({ zone: ZONE, body: { purge_everything: false }, evicted: [], status: 400, errorCode: 1013 });
  });

  it('takes exactly 100 files over HTTP, rejects 101', async () => {
    expect((await post({ files: urls(100) })).status).toBe(200);
    await expectFailure(await post({ files: urls(101) }), 400, [1094]);
    expect(purges).toHaveLength(1);
  });

  it('reports a failed eviction as 500 1016 instead of a false success', async () => {
    failPurge = true;
    await expectFailure(await post({ purge_everything: true }), 500, [1016]);
    expect(records[0]).toMatchObject({
      status: 500,
      errorCode: 1016,
      request: { everything: true },
      note: expect.stringContaining('disk gone'),
    });
  });

  it('keeps other API paths and methods away from the real Cloudflare (7003 + 7000)', async () => {
    await expectFailure(
      await fetch(`${CF_API_BASE}/zones/${ZONE}/purge_cache`, { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}` } }),
      404,
      [7003, 7000],
    );
    await expectFailure(await fetch(`${CF_API_BASE}/zones/${ZONE}/dns_records`), 404, [7003, 7000]);
  });

  it('lets loopback traffic (our edge, our origins) through untouched', async () => {
    const server: Server = createServer((req, res) => res.end(`origin saw ${req.method} ${req.url}`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/about?x=1`);
      expect(await res.text()).toBe('origin saw GET /about?x=1');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
