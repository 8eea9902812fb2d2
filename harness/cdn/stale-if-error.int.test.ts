import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTinyOrigin } from '../../test/tiny-origin.ts';
import { waitFor } from '../io/wait.ts';
import { Edge } from './edge.ts';

/**
 * Edge fault "the origin is down": the edge must keep serving what it holds, even past its TTL
 * (stale-if-error), and never store the error. Real nginx, a real origin that stops listening;
 * the negative control is the same edge without proxy_cache_use_stale, which must answer 502.
 */
describe('stale-if-error on nginx (process): every origin down', () => {
  let dir: string | undefined;
  let edge: Edge | undefined;
  let origin: Awaited<ReturnType<typeof startTinyOrigin>> | undefined;

  afterEach(async () => {
    await edge?.stop();
    await origin?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    edge = origin = dir = undefined;
  });

  /** /legacy (no Cache-Control, like Pages Router HTML) cached for 1 s; then the origin stops. */
  async function expiredWithOriginDown(staleIfError: boolean) {
    dir = await mkdtemp(join(tmpdir(), 'skew-stale-'));
    await mkdir(join(dir, 'deploy'), { recursive: true });
    origin = await startTinyOrigin('a1');
    edge = await Edge.start({
      kind: 'process',
      dir: join(dir, 'cdn'),
      deployRoot: join(dir, 'deploy'),
      runId: `stale-${process.pid}`,
      rules: { htmlTtl: '1s', staleIfError },
    });
    await edge.setRoutes({ current: 'a1', origins: { a1: origin.port }, kept: ['a1'] });
    const url = `${edge.url}/legacy`;
    const first = await fetch(url);
    expect(first.headers.get('cf-cache-status')).toBe('MISS');
    expect(await first.text()).toContain('a1 /legacy');
    await origin.close();
    origin = undefined;
    // The first answer that is not a fresh HIT comes after the 1 s TTL ran out.
    const after = await waitFor(
      'the edge copy of /legacy to expire (htmlTtl 1s)',
      async () => {
        const r = await fetch(url);
        return r.headers.get('cf-cache-status') === 'HIT'
          ? undefined
          : { status: r.status, cache: r.headers.get('cf-cache-status'), body: await r.text() };
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    return { url, after };
  }

  it('serves the expired copy (STALE) while the origin is down, and stores no error', async () => {
    const { url, after } = await expiredWithOriginDown(true);
    expect(after).toMatchObject({ status: 200, cache: 'STALE' });
    expect(after.body).toContain('a1 /legacy');
    const again = await fetch(url);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('a1 /legacy');
  });

  it('negative control: without proxy_cache_use_stale the same expired page is a 502', async () => {
    const { after } = await expiredWithOriginDown(false);
    expect(after.status).toBe(502);
  });
});
