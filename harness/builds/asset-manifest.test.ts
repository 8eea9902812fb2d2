import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kindOf, readAssets } from './asset-manifest.ts';

describe('asset manifest', () => {
  let dir = '';
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists every static file as a URL with its kind, and the public files', async () => {
    dir = await mkdtemp(join(tmpdir(), 'skew-assets-'));
    for (const f of ['.next/static/a-1/_buildManifest.js', '.next/static/chunks/x.js', '.next/static/chunks/y.css', '.next/static/media/logo.1c2d.svg', 'public/version.txt']) {
      await mkdir(dirname(join(dir, f)), { recursive: true });
      await writeFile(join(dir, f), 'x');
    }
    const { assets, publicFiles } = await readAssets(dir, 'a-1');
    expect(assets).toEqual([
      { url: '/_next/static/a-1/_buildManifest.js', kind: 'build-manifest' },
      { url: '/_next/static/chunks/x.js', kind: 'chunk' },
      { url: '/_next/static/chunks/y.css', kind: 'css' },
      { url: '/_next/static/media/logo.1c2d.svg', kind: 'media' },
    ]);
    expect(publicFiles).toEqual(['/version.txt']);
  });

  it('never takes a shared folder for the build id folder', () => {
    expect(kindOf('chunks/a.js', 'chunks-x')).toBe('chunk');
    expect(kindOf('css/a.css', 'b-2')).toBe('css');
    expect(kindOf('b-2/_ssgManifest.js', 'b-2')).toBe('build-manifest');
  });
});
