import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kindOf, readAssets } from './asset-manifest.ts';

describe('asset manifest', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  async function tree(files: string[]): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'skew-assets-'));
    dirs.push(dir);
    for (const f of files) {
      await mkdir(dirname(join(dir, f)), { recursive: true });
      await writeFile(join(dir, f), 'x');
    }
    return dir;
  }

  it('lists every static file of both bundlers as a sorted URL with its kind, and the public files', async () => {
    const dir = await tree([
      // Turbopack: flat content-hashed chunks, CSS among them; a lazy chunk no manifest lists.
      '.next/static/chunks/3lazy_only-x.js',
      '.next/static/chunks/0a-b_c.css',
      '.next/static/a-1/_buildManifest.js',
      '.next/static/a-1/_ssgManifest.js',
      // webpack: nested page chunks and a css/ folder.
      '.next/static/chunks/pages/legacy-1f2e.js',
      '.next/static/css/9e8d.css',
      '.next/static/media/logo.1c2d.svg',
      '.next/static/chunks/x.js.map',
      '.next/cache/ignored.json',
      'public/version.txt',
      'public/img/logo.svg',
    ]);
    const { assets, publicFiles } = await readAssets(dir, 'a-1');
    expect(assets).toEqual([
      { url: '/_next/static/a-1/_buildManifest.js', kind: 'build-manifest' },
      { url: '/_next/static/a-1/_ssgManifest.js', kind: 'build-manifest' },
      { url: '/_next/static/chunks/0a-b_c.css', kind: 'css' },
      { url: '/_next/static/chunks/3lazy_only-x.js', kind: 'chunk' },
      { url: '/_next/static/chunks/pages/legacy-1f2e.js', kind: 'chunk' },
      { url: '/_next/static/chunks/x.js.map', kind: 'other' },
      { url: '/_next/static/css/9e8d.css', kind: 'css' },
      { url: '/_next/static/media/logo.1c2d.svg', kind: 'media' },
    ]);
    expect(publicFiles).toEqual(['/img/logo.svg', '/version.txt']);
  });

  it('gives empty lists for a directory without a build', async () => {
    expect(await readAssets(await tree([]), 'a-1')).toEqual({ assets: [], publicFiles: [] });
  });

  it('never takes a shared folder for the build id folder', () => {
    expect(kindOf('chunks/a.js', 'chunks-x')).toBe('chunk');
    expect(kindOf('css/a.css', 'b-2')).toBe('css');
    expect(kindOf('b-2/_ssgManifest.js', 'b-2')).toBe('build-manifest');
    expect(kindOf('b-2x/_ssgManifest.js', 'b-2')).toBe('other');
  });
});
