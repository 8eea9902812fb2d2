import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTinyOrigin } from '../../test/tiny-origin.ts';
import { Edge } from './edge.ts';
import type { CdnKind } from './runtime.ts';

// Both runtimes get the same checks against the same generated configuration.
const kinds: CdnKind[] = ['process', 'container'];

describe.each(kinds)('edge on nginx (%s)', (kind) => {
  let dir: string;
  let edge: Edge;
  let a: Awaited<ReturnType<typeof startTinyOrigin>>;
  let b: Awaited<ReturnType<typeof startTinyOrigin>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `skew-edge-${kind}-`));
    const root = join(dir, 'deploy');
    for (const [id, file, body] of [
      ['a1', 'chunks/a.js', 'A'],
      ['b1', 'chunks/b.js', 'B'],
      ['b1', 'b1/_buildManifest.js', 'BM'],
    ] as const) {
      await mkdir(join(root, 'releases', id, '.next/static', file, '..'), { recursive: true });
      await writeFile(join(root, 'releases', id, '.next/static', file), `/* ${body} */`);
    }
    await symlink('releases/b1', join(root, 'current'));
    a = await startTinyOrigin('a1');
    b = await startTinyOrigin('b1');
    edge = await Edge.start({ kind, dir: join(dir, 'cdn'), deployRoot: root, runId: `test-${kind}-${process.pid}` });
    await edge.setRoutes({ current: 'b1', origins: { a1: a.port, b1: b.port }, kept: ['b1', 'a1'] });
  });

  afterAll(async () => {
    await edge?.stop();
    await a?.close();
    await b?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${edge.url}${path}`, { headers });

  it('caches App Router HTML (s-maxage): MISS then HIT with a real Age', async () => {
    const first = await get('/');
    expect(first.headers.get('cf-cache-status')).toBe('MISS');
    expect(first.headers.get('age')).toBe('0');
    expect(await first.text()).toContain('b1 /');
    const second = await get('/');
    expect(second.headers.get('cf-cache-status')).toBe('HIT');
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(b.hits.filter((h) => h === '/')).toHaveLength(1);
  });

  it('strips Accept-Encoding upstream and gzips at the edge', async () => {
    const r = await get('/enc', { 'accept-encoding': 'gzip' });
    expect(await r.text()).toContain('accept-encoding=');
    expect(await r.text().catch(() => '')).toBe('');
  });

  it('caches Pages HTML without Cache-Control and never caches no-store (DYNAMIC)', async () => {
    await get('/legacy');
    expect((await get('/legacy')).headers.get('cf-cache-status')).toBe('HIT');
    const s1 = await get('/ssr');
    const s2 = await get('/ssr');
    expect(s1.headers.get('cf-cache-status')).toBe('DYNAMIC');
    expect(s2.headers.get('cf-cache-status')).toBe('DYNAMIC');
    expect(s2.headers.get('age')).toBeNull();
  });

  it('a page that sets a cookie is not stored, and says DYNAMIC, not a MISS that a repeat would turn into a HIT', async () => {
    const first = await get('/locale');
    const second = await get('/locale');
    expect([first.headers.get('cf-cache-status'), second.headers.get('cf-cache-status')]).toEqual(['DYNAMIC', 'DYNAMIC']);
    expect(b.hits.filter((h) => h === '/locale')).toHaveLength(2);
  });

  it('routes pinned data requests to their own origin and keys the cache by deployment', async () => {
    const pinned = await get('/about?_rsc=x', { 'x-deployment-id': 'a1', rsc: '1' });
    expect(pinned.headers.get('x-origin')).toBe('a1');
    const other = await get('/about?_rsc=x', { 'x-deployment-id': 'b1', rsc: '1' });
    expect(other.headers.get('x-origin')).toBe('b1');
    expect(other.headers.get('cf-cache-status')).toBe('MISS');
    const unknown = await get('/about?_rsc=x', { 'x-deployment-id': 'gone', rsc: '1' });
    expect(unknown.headers.get('x-origin')).toBe('b1');
  });

  it('serves static by ?dpl from that release only, unpinned from current then kept releases', async () => {
    const pinned = await get('/_next/static/chunks/a.js?dpl=a1');
    expect(pinned.status).toBe(200);
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('/_next/static/chunks/a.js?dpl=a1')).headers.get('cf-cache-status')).toBe('HIT');
    expect((await get('/_next/static/chunks/a.js?dpl=b1')).status).toBe(404);
    expect((await get('/_next/static/chunks/a.js')).status).toBe(200);
    expect((await get('/_next/static/b1/_buildManifest.js')).status).toBe(200);
  });

  it('never caches a static 404, and never marks it immutable', async () => {
    const r1 = await get('/_next/static/chunks/missing.js?dpl=b1');
    expect(r1.status).toBe(404);
    expect(r1.headers.get('cache-control') ?? '').not.toContain('immutable');
    const r2 = await get('/_next/static/chunks/missing.js?dpl=b1');
    expect(r2.headers.get('cf-cache-status')).not.toBe('HIT');
  });

  it('rejects path traversal in the pin', async () => {
    const r = await get('/_next/static/chunks/a.js?dpl=../../etc');
    // Not a deployment id: treated as unpinned (nginx omits the empty pin header), never a path.
    expect(r.headers.get('x-skew-pin')).toBeNull();
    expect(r.status).toBe(200);
  });

  it('purges by URL, by prefix and everything, and the next request is a MISS with Age 0', async () => {
    await get('/p1');
    await get('/p1');
    await get('/dir/x');
    expect((await get('/p1')).headers.get('cf-cache-status')).toBe('HIT');
    const byUrl = await edge.purge({ files: [`${edge.url}/p1`] });
    expect(byUrl.evicted).toHaveLength(1);
    const after = await get('/p1');
    expect(after.headers.get('cf-cache-status')).toBe('MISS');
    expect(after.headers.get('age')).toBe('0');
    expect((await edge.purge({ prefixes: ['127.0.0.1/dir/'] })).evicted).toHaveLength(1);
    expect((await get('/dir/x')).headers.get('cf-cache-status')).toBe('MISS');
    const all = await edge.purge({ everything: true });
    expect(all.evicted.length).toBeGreaterThan(3);
    expect(await edge.cacheEntries()).toHaveLength(0);
  });

  it('routes by the new table as soon as setRoutes returns, also on kept-alive connections', async () => {
    // Regression: an old worker still serving a kept-alive connection used the old routes.
    for (const [current, other] of [
      ['a1', 'b1'],
      ['b1', 'a1'],
      ['a1', 'b1'],
      ['b1', 'a1'],
    ] as const) {
      await get('/ssr'); // keep a connection to the current workers alive
      await edge.setRoutes({ current, origins: { a1: a.port, b1: b.port }, kept: [current, other] });
      expect((await get('/ssr')).headers.get('x-origin')).toBe(current);
    }
  });

  it('records every edge request in its access log with the cache status', async () => {
    const log = await edge.accessLog();
    expect(log.some((e) => e.uri === '/' && e.cache === 'MISS')).toBe(true);
    expect(log.some((e) => e.uri === '/' && e.cache === 'HIT')).toBe(true);
  });
});
