import { execFileSync } from 'node:child_process';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuild } from '../builds/build-cache.ts';
import type { Build } from '../builds/types.ts';
import type { PurgeRequest } from '../cdn/purge.ts';
import { getDeployer } from '../deployers/registry.ts';
import { liveChildren } from '../io/children.ts';
import { Stack } from './stack.ts';
import { probeSite } from '../probe/probe-site.ts';
import { deployDirect } from '../../test/deploy-direct.ts';

/** `curl -sI` through the edge, as the rollback document's verification step does it. */
function curlBody(url: string): string {
  return execFileSync('curl', ['-s', url], { encoding: 'utf8' });
}

function curlHead(url: string): Record<string, string> {
  const out = execFileSync('curl', ['-sI', url], { encoding: 'utf8' });
  const headers: Record<string, string> = { status: out.split(' ')[1] ?? '' };
  for (const line of out.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

describe('stack: real builds behind the real edge (process nginx)', () => {
  let dir: string;
  let stack: Stack;
  let a: Build;
  let b: Build;
  const purges: PurgeRequest[] = [];

  const deploy = (build: Build) => deployDirect(getDeployer('releases-symlink'), stack, build, (r) => purges.push(r as PurgeRequest));

  beforeAll(async () => {
    a = await getBuild({ variant: 'A' });
    b = await getBuild({ variant: 'B' });
    dir = await mkdtemp(join(tmpdir(), 'skew-stack-'));
    stack = await Stack.start({ dir, cdn: 'process', runId: `stack-test-${process.pid}` });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves A: HTML MISS then HIT with Age, from the A origin', async () => {
    await deploy(a);
    // `/` itself was fetched by the deployer's own purge verification: a URL nobody asked for yet shows the cache from scratch.
    const first = curlHead(`${stack.url}/?fresh=1`);
    expect(first).toMatchObject({ status: '200', 'cf-cache-status': 'MISS', age: '0' });
    expect(curlBody(`${stack.url}/`)).toContain(`data-dpl-id="${a.deploymentId}"`);
    expect(first['cache-control']).toContain('s-maxage=31536000');
    const second = curlHead(`${stack.url}/?fresh=1`);
    expect(second['cf-cache-status']).toBe('HIT');
    expect(Number(second.age)).toBeGreaterThanOrEqual(0);
  });

  it('serves hashed static as immutable, HIT on repeat; gSSP is DYNAMIC', async () => {
    const chunk = a.assets.find((x) => x.kind === 'chunk')!.url;
    const r1 = curlHead(`${stack.url}${chunk}?dpl=${a.deploymentId}`);
    expect(r1).toMatchObject({ status: '200', 'cache-control': 'public, max-age=31536000, immutable' });
    expect(curlHead(`${stack.url}${chunk}?dpl=${a.deploymentId}`)['cf-cache-status']).toBe('HIT');
    expect(curlHead(`${stack.url}/legacy/ssr`)['cf-cache-status']).toBe('DYNAMIC');
  });

  it('after deploying B: HTML purged (MISS, Age 0, B), A assets still 200 pinned and unpinned', async () => {
    const started = Date.now();
    await deploy(b);
    // Purged: fresh from B (a MISS, or the copy the deployer's verification cached during this
    // deploy: no older than the deploy, which verifies all 106 of the fixture's pages).
    const html = curlHead(`${stack.url}/`);
    expect(['MISS', 'HIT']).toContain(html['cf-cache-status']);
    expect(Number(html.age)).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000));
    expect(curlBody(`${stack.url}/`)).toContain(`data-dpl-id="${b.deploymentId}"`);
    const onlyA = a.assets.find((x) => x.kind === 'chunk' && !b.assets.some((y) => y.url === x.url))!.url;
    expect(curlHead(`${stack.url}${onlyA}?dpl=${a.deploymentId}`).status).toBe('200');
    expect(curlHead(`${stack.url}${onlyA}`).status).toBe('200');
    // HTML only: the listed pages by URL, the pages rendered on demand by their route's prefix.
    const purged = purges.flatMap((p) => ('files' in p ? p.files : 'prefixes' in p ? p.prefixes : ['(another kind of purge)']));
    expect(purged.filter((u) => u.includes('/_next/static/') || u.startsWith('('))).toEqual([]);
    expect(purges.filter((p) => 'prefixes' in p)).toEqual([
      { prefixes: ['127.0.0.1/legacy/ssg/'] },
      { prefixes: ['127.0.0.1/legacy/ssg/'] },
    ]);
  });

  it('a missing static file is a 404 that is not immutable and not cached', () => {
    const r = curlHead(`${stack.url}/_next/static/chunks/not-there.js?dpl=${b.deploymentId}`);
    expect(r.status).toBe('404');
    expect(r['cache-control'] ?? '').not.toContain('immutable');
    expect(curlHead(`${stack.url}/_next/static/chunks/not-there.js?dpl=${b.deploymentId}`)['cf-cache-status']).not.toBe('HIT');
  });

  it("skew probe: the document's verification passes right after the purge, and fires on a stale HIT and a missing manifest", async () => {
    await stack.edge.purge({ everything: true });
    const fresh = await probeSite(`${stack.url}/legacy`, { afterPurge: true });
    expect(fresh.ok, JSON.stringify(fresh.findings)).toBe(true);
    expect(fresh).toMatchObject({ buildId: b.buildId, deploymentId: b.deploymentId, html: { cacheStatus: 'MISS', age: 0 } });
    // Negative controls: the same page again is a HIT — "purge not propagated" if a purge was claimed.
    const stale = await probeSite(`${stack.url}/legacy`, { afterPurge: true });
    expect(stale.findings.find((f) => f.what === 'HTML cache')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('purge not propagated'),
    });
    const manifest = join(stack.deployRoot, 'releases', b.deploymentId, '.next/static', b.buildId, '_buildManifest.js');
    await rename(manifest, `${manifest}.gone`);
    await stack.edge.purge({ everything: true }); // the edge still holds the immutable copy otherwise
    try {
      const broken = await probeSite(`${stack.url}/`);
      expect(broken.findings.find((f) => f.what === 'build manifest')).toMatchObject({ ok: false, detail: expect.stringContaining('404') });
    } finally {
      await rename(`${manifest}.gone`, manifest);
    }
  });

  it('stops every origin and nginx', async () => {
    await stack.stop();
    expect(liveChildren()).toEqual([]);
  });
});
