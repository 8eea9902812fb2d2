import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getBuild, REPO_ROOT } from './build-cache.ts';
import type { Build } from './types.ts';

/** Real `next build` runs (Turbopack) into a private cache directory. */
describe('build cache (real next build)', () => {
  let dir = '';
  let a: Build;
  let b: Build;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('builds A and B with deploy-pinned ids read from the output', async () => {
    // Inside the repo: a build's dependencies resolve from the repo's node_modules.
    await mkdir(join(REPO_ROOT, 'builds'), { recursive: true });
    dir = await mkdtemp(join(REPO_ROOT, 'builds', '.int-test-'));
    a = await getBuild({ variant: 'A', buildsDir: dir });
    b = await getBuild({ variant: 'B', buildsDir: dir });
    expect(a.cached).toBe(false);
    expect(a.deploymentId).toMatch(/^a-[0-9a-f]{10}$/);
    expect(a.buildId).toBe((await readFile(join(a.dir, '.next/BUILD_ID'), 'utf8')).trim());
    // The seed's promise on this Next version: BUILD_ID === NEXT_DEPLOYMENT_ID.
    expect(a.buildId).toBe(a.deploymentId);
    expect(await readFile(join(a.dir, 'public/version.txt'), 'utf8')).toBe('A\n');
    expect(await readFile(join(b.dir, 'public/version.txt'), 'utf8')).toBe('B\n');
  });

  it('gives A and B different lazy chunks, page chunks and CSS (different content hashes)', async () => {
    const urls = (x: Build, kind: string) => new Set(x.assets.filter((e) => e.kind === kind).map((e) => e.url));
    const onlyA = (kind: string) => [...urls(a, kind)].filter((u) => !urls(b, kind).has(u));
    expect(onlyA('chunk').length).toBeGreaterThanOrEqual(2);
    expect(onlyA('css').length).toBeGreaterThanOrEqual(1);
    // The lazy module's chunk carries the version string; find it in A's own chunks.
    const lazy = await Promise.all(onlyA('chunk').map(async (u) => ({ u, text: await readFile(join(a.dir, '.next', u.replace('/_next/', '')), 'utf8') })));
    expect(lazy.some((c) => c.text.includes('Hello from the lazy chunk of version'))).toBe(true);
    expect(a.assets.some((e) => e.kind === 'build-manifest' && e.url === `/_next/static/${a.buildId}/_buildManifest.js`)).toBe(true);
  });

  it('reuses an unchanged build: nothing is rebuilt', async () => {
    const again = await getBuild({ variant: 'A', buildsDir: dir });
    expect(again.cached).toBe(true);
    expect(again.deploymentId).toBe(a.deploymentId);
  });

  it('fails with BUILD_FAILED and the build output for a broken fixture', async () => {
    await expect(getBuild({ variant: 'A', buildsDir: dir, fixture: 'does-not-exist' })).rejects.toMatchObject({ code: 'BUILD_FAILED' });
  });
});
