import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isHarnessError } from '../errors/harness-error.ts';
import { getBuild, REPO_ROOT } from './build-cache.ts';
import type { AssetKind, Build } from './types.ts';

const file = (b: Build, url: string) => join(b.dir, '.next', url.slice('/_next/'.length));
/** Asset URLs of one kind whose content includes `needle`. */
async function holding(b: Build, kind: AssetKind, needle: string): Promise<string[]> {
  const urls = b.assets.filter((e) => e.kind === kind).map((e) => e.url);
  const texts = await Promise.all(urls.map((u) => readFile(file(b, u), 'utf8')));
  return urls.filter((_, i) => texts[i]?.includes(needle));
}
/** `/_next/static/...` URLs a prerendered page references up front. */
async function htmlAssets(b: Build, html: string): Promise<string[]> {
  const text = await readFile(join(b.dir, '.next/server', html), 'utf8');
  return [...new Set(text.match(/\/_next\/static\/[^"'?\s\\]+/g) ?? [])];
}

/** Real `next build` runs (Turbopack) into a private cache directory. */
describe('build cache (real next build)', () => {
  let dir = '';
  let a: Build;
  let b: Build;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('builds A and B (concurrent callers share one build) with ids read from the output', async () => {
    await mkdir(join(REPO_ROOT, 'builds'), { recursive: true });
    dir = await mkdtemp(join(REPO_ROOT, 'builds', '.int-test-'));
    const [a1, a2, b1] = await Promise.all([
      getBuild({ variant: 'A', buildsDir: dir }),
      getBuild({ variant: 'A', buildsDir: dir }),
      getBuild({ variant: 'B', buildsDir: dir }),
    ]);
    [a, b] = [a1, b1];
    // Which of the two A callers finishes hashing first is a race: exactly one of them builds.
    expect([a1.cached, a2.cached].sort()).toEqual([false, true]);
    expect(b1.cached).toBe(false);
    expect(a2.buildMs).toBe(a1.buildMs);
    for (const [x, v] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      expect(x.deploymentId).toBe(`${v}-${x.key.slice(0, 10)}`);
      expect(x.buildId).toBe((await readFile(join(x.dir, '.next/BUILD_ID'), 'utf8')).trim());
      // The deployment id reached the build: every asset URL in the HTML carries it.
      expect(await readFile(join(x.dir, '.next/server/app/index.html'), 'utf8')).toContain(`?dpl=${x.deploymentId}`);
      expect(x.assets).toContainEqual({ url: `/_next/static/${x.buildId}/_buildManifest.js`, kind: 'build-manifest' });
    }
    expect(await readFile(join(a.dir, 'public/version.txt'), 'utf8')).toBe('A\n');
    expect(await readFile(join(b.dir, 'public/version.txt'), 'utf8')).toBe('B\n');
    expect(a.publicFiles).toContain('/version.txt');
    // nginx workers run as another user.
    expect((await stat(file(a, a.assets[0]?.url ?? ''))).mode & 0o444).toBe(0o444);
    expect((await stat(join(a.dir, '.next/static'))).mode & 0o555).toBe(0o555);
    // Only complete builds are published; the kept build cache never ships.
    expect((await readdir(dir)).sort()).toEqual([a.key, b.key].sort());
    await expect(stat(join(a.dir, '.next/cache'))).rejects.toThrow();
  });

  it('gives the lazy module, the dynamic component, the pages and the CSS new URLs in B', async () => {
    const urlsB = new Set(b.assets.map((e) => e.url));
    /** A's assets of a kind holding `needle`: some exist, B has as many, and none of A's URLs. */
    const differ = async (kind: AssetKind, needle: string) => {
      const [inA, inB] = [await holding(a, kind, needle), await holding(b, kind, needle)];
      expect(inA.length, `${kind} holding ${needle}`).toBeGreaterThan(0);
      expect(inB.length).toBe(inA.length);
      for (const u of inA) expect(urlsB.has(u), u).toBe(false);
      return inA;
    };
    const [homeA, homeB, legacyA] = [
      await htmlAssets(a, 'app/index.html'),
      await htmlAssets(b, 'app/index.html'),
      await htmlAssets(a, 'pages/legacy.html'),
    ];
    // One lazy chunk per router (separate module graphs), listed although only import() loads it.
    expect(await differ('chunk', 'Hello from the lazy chunk of version')).toHaveLength(2);
    await differ('chunk', '"dynamic-result"');
    await differ('css', 'content:" ('); // page CSS: generated/variant.module.css
    // generated/lazy.module.css, imported only by the lazy module: not in any HTML, loads on click.
    const lazyCss = await differ('css', 'border-left:4px solid');
    expect(lazyCss.filter((u) => homeA.includes(u) || legacyA.includes(u))).toEqual([]);
    expect(homeA.filter((u) => u.endsWith('.js') && !urlsB.has(u)).length, 'App Router page chunk').toBeGreaterThan(0);
    expect(legacyA.filter((u) => u.endsWith('.js') && !urlsB.has(u)).length, 'Pages Router page chunk').toBeGreaterThan(0);
    // Built at one path, A and B share unchanged chunks byte for byte, as in a real deploy.
    expect(homeA.filter((u) => homeB.includes(u)).length).toBeGreaterThan(0);
  });

  it('reuses an unchanged build: nothing is rebuilt', async () => {
    const started = Date.now();
    const again = await getBuild({ variant: 'A', buildsDir: dir });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(again).toEqual({ ...a, cached: true });
  });

  it('fails with BUILD_FAILED and the build output for a missing or broken fixture', async () => {
    await expect(getBuild({ variant: 'A', buildsDir: dir, fixture: 'does-not-exist' })).rejects.toMatchObject({ code: 'BUILD_FAILED' });
    const fixturesDir = await mkdtemp(join(dir, '.fixtures-'));
    await cp(join(REPO_ROOT, 'fixtures/app'), join(fixturesDir, 'app'), { recursive: true, filter: (p) => !p.includes('.next') });
    await writeFile(join(fixturesDir, 'app/app/about/page.tsx'), 'export default function About() { return <main>{</main>; }\n');
    const err: unknown = await getBuild({ variant: 'A', buildsDir: dir, fixturesDir }).catch((e: unknown) => e);
    expect(isHarnessError(err) && err.code).toBe('BUILD_FAILED');
    expect(isHarnessError(err) && err.details.join('\n')).toMatch(/about\/page\.tsx/);
    expect((await readdir(dir)).filter((n) => !n.startsWith('.fixtures-')).sort()).toEqual([a.key, b.key].sort());
  });
});
