import { describe, expect, it } from 'vitest';
import { staticRefs } from './probe-site.ts';

describe('the /_next/static files a page references', () => {
  it('keeps the basePath in front of each file (a visitor of /docs asks for /docs/_next/static/…)', () => {
    const html =
      '<script src="/docs/_next/static/chunks/main-1.js?dpl=a-1" defer=""></script><link rel="stylesheet" href="/docs/_next/static/css/a.css"/>' +
      '<script src="/docs/_next/static/build-x/_buildManifest.js?dpl=a-1"></script>';
    expect(staticRefs(html)).toEqual([
      '/docs/_next/static/chunks/main-1.js?dpl=a-1',
      '/docs/_next/static/css/a.css',
      '/docs/_next/static/build-x/_buildManifest.js?dpl=a-1',
    ]);
  });

  it('reads the plain layout, HTML entities and flight data', () => {
    const html =
      '<script src="/_next/static/chunks/a.js?dpl=a-1&amp;x=1"></script><script>self.__next_f.push([1,"2:HL[\\"/_next/static/css/b.css\\",\\"style\\"]"])</script>';
    expect(staticRefs(html)).toEqual(['/_next/static/chunks/a.js?dpl=a-1&x=1', '/_next/static/css/b.css']);
  });
});
