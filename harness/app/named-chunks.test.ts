import { describe, expect, it } from 'vitest';
import { chunkName, chunksNamedIn } from './named-chunks.ts';

describe('the chunks a document names', () => {
  it('reads script tags, preloads and the App Router flight data (JSON-escaped)', () => {
    const html = [
      '<link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/webpack-1a2b.js?dpl=a-1"/>',
      '<script src="/shop/_next/static/chunks/main-app-3c4d.js" async=""></script>',
      '<script src="/_next/static/build-x/_buildManifest.js" defer=""></script>',
      '<script>self.__next_f.push([1,"5:I[6421,[\\"static/chunks/0f1e2d.js\\",\\"static/chunks/app/page-9a8b.js\\"],\\"Counter\\"]\\n"])</script>',
    ].join('\n');
    expect([...chunksNamedIn(html)].sort()).toEqual([
      '0f1e2d.js',
      '_buildManifest.js',
      'main-app-3c4d.js',
      'page-9a8b.js',
      'webpack-1a2b.js',
    ]);
  });

  it('does not name a chunk only an import() in the code asks for', () => {
    expect(chunksNamedIn('<script src="/_next/static/chunks/main.js"></script>').has('lazy-fuse.js')).toBe(false);
    expect(chunkName('/_next/static/chunks/lazy-fuse.js?dpl=b-2')).toBe('lazy-fuse.js');
  });
});
