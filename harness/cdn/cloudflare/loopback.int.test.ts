import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTinyOrigin } from '../../../test/tiny-origin.ts';
import { Edge } from '../edge.ts';
import { startLoopbackServer, type LoopbackPurgeApi } from './loopback-server.ts';
import { purgeApiHandlers, type PurgeApiRecord } from './purge-api.ts';

const run = promisify(execFile);
const ZONE = '023e105f4ecef8ad9ca31a8372d0c353';
const TOKEN = 'skew-loopback-token-0123456789abcdefghijk';

/**
 * The rollback document's purge step, verbatim but for the API base (a deployer points it at us
 * with CF_API_BASE): `set -euo pipefail`, `curl -sf … | jq '.success'`.
 */
const ROLLBACK_SNIPPET = `set -euo pipefail
CF_ZONE_ID="\${CF_ZONE_ID:?CF_ZONE_ID must be set}"
CF_API_TOKEN="\${CF_API_TOKEN:?CF_API_TOKEN must be set}"
curl -sf -X POST \\
"\${CF_API_BASE}/zones/\${CF_ZONE_ID}/purge_cache" \\
-H "Authorization: Bearer \${CF_API_TOKEN}" \\
-H "Content-Type: application/json" \\
-d "{
\\"files\\": [
$FILES
]
}" | jq '.success'
`;

/** Runs the snippet with bash, as a deployer script would; never throws, returns the exit code. */
async function rollbackPurge(base: string, files: string[], token = TOKEN): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = ROLLBACK_SNIPPET.replace('$FILES', files.map((f) => `\\"${f}\\"`).join(',\n'));
  try {
    const { stdout, stderr } = await run('bash', ['-c', script], {
      env: { ...process.env, CF_API_BASE: base, CF_ZONE_ID: ZONE, CF_API_TOKEN: token },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('Cloudflare purge API on a loopback port, driven by curl', () => {
  let dir: string;
  let edge: Edge;
  let origin: Awaited<ReturnType<typeof startTinyOrigin>>;
  let api: LoopbackPurgeApi;
  const records: PurgeApiRecord[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skew-cf-loopback-'));
    const root = join(dir, 'deploy');
    await mkdir(join(root, 'releases', 'b1', '.next/static/chunks'), { recursive: true });
    await writeFile(join(root, 'releases', 'b1', '.next/static/chunks/b.js'), '/* B */');
    await symlink('releases/b1', join(root, 'current'));
    origin = await startTinyOrigin('b1');
    edge = await Edge.start({ kind: 'process', dir: join(dir, 'cdn'), deployRoot: root, runId: `test-cf-loopback-${process.pid}` });
    await edge.setRoutes({ current: 'b1', origins: { b1: origin.port }, kept: ['b1'] });
    api = await startLoopbackServer(
      purgeApiHandlers({ zoneId: ZONE, token: TOKEN, purge: (req) => edge.purge(req), onPurge: (r) => records.push(r) }),
    );
  });

  afterAll(async () => {
    await api?.close();
    await edge?.stop();
    await origin?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cacheStatus = async (path: string) => (await fetch(`${edge.url}${path}`)).headers.get('cf-cache-status');

  it('serves the API base on 127.0.0.1 as a drop-in for https://api.cloudflare.com/client/v4', () => {
    expect(api.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
  });

  it("answers the rollback document's curl | jq '.success' with true", async () => {
    const r = await rollbackPurge(api.baseUrl, ['https://www.example.com/', 'https://www.example.com/about']);
    expect(r).toMatchObject({ code: 0, stdout: 'true\n' });
    expect(records.at(-1)).toMatchObject({
      zone: ZONE,
      status: 200,
      request: { files: ['https://www.example.com/', 'https://www.example.com/about'] },
    });
  });

  it('fails curl -sf with exit 22 on a bad token; without -f the body is the Cloudflare error', async () => {
    const url = `${api.baseUrl}/zones/${ZONE}/purge_cache`;
    const args = [
      '-X',
      'POST',
      url,
      '-H',
      'Authorization: Bearer wrong',
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"files":["https://www.example.com/"]}',
    ];
    const failed = await run('curl', ['-sf', ...args]).then(
      () => 0,
      (e: { code?: number }) => e.code,
    );
    expect(failed).toBe(22);
    const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', ...args]);
    const [body, status] = stdout.split('\n');
    expect(status).toBe('403');
    expect(JSON.parse(body ?? '')).toEqual({
      success: false,
      errors: [{ code: 10000, message: 'Authentication error' }],
      messages: [],
      result: null,
    });
    expect(records.at(-1)).toMatchObject({ status: 403, errorCode: 10000, evicted: [] });
    // The whole snippet then fails too (pipefail), and jq printed nothing: the deployer must notice.
    const snippet = await rollbackPurge(api.baseUrl, ['https://www.example.com/'], 'wrong');
    expect(snippet).toMatchObject({ code: 22, stdout: '' });
  });

  it('takes 100 files from curl (a body large enough for Expect: 100-continue) and refuses 101', async () => {
    const files = (n: number) => Array.from({ length: n }, (_, i) => `https://www.example.com/page-${i}`);
    expect(await rollbackPurge(api.baseUrl, files(100))).toMatchObject({ code: 0, stdout: 'true\n' });
    expect(records.at(-1)?.request).toEqual({ files: files(100) });
    expect(await rollbackPurge(api.baseUrl, files(101))).toMatchObject({ code: 22, stdout: '' });
    expect(records.at(-1)).toMatchObject({ status: 400, errorCode: 1094 });
  });

  it('answers unknown routes with a Cloudflare-style 404', async () => {
    const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', `http://127.0.0.1:${api.port}/nope`]);
    const [body, status] = stdout.split('\n');
    expect(status).toBe('404');
    expect(JSON.parse(body ?? '')).toEqual({
      success: false,
      errors: [{ code: 7000, message: 'No route for that URI' }],
      messages: [],
      result: null,
    });
  });

  it('really evicts from the nginx edge: the purged URL is a MISS, the other still a HIT', async () => {
    for (const p of ['/x1', '/x2']) {
      expect(await cacheStatus(p)).toBe('MISS');
      expect(await cacheStatus(p)).toBe('HIT');
    }
    const r = await rollbackPurge(api.baseUrl, [`${edge.url}/x1`]);
    expect(r).toMatchObject({ code: 0, stdout: 'true\n' });
    const record = records.at(-1);
    expect(record).toMatchObject({ status: 200, request: { files: [`${edge.url}/x1`] } });
    expect(record?.evicted).toHaveLength(1);
    expect(record?.evicted[0]).toContain('/x1');
    expect(await cacheStatus('/x1')).toBe('MISS');
    expect(await cacheStatus('/x2')).toBe('HIT');
  });
});
