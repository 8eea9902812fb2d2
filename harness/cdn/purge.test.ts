import { describe, expect, it } from 'vitest';
import { hostPathOfKey, normalizeUrl } from '../core/cache-key.ts';
import { matcher } from './purge.ts';

const key = (url: string, dpl = '') => `${url}|rsc=|prefetch=|segment=|dpl=${dpl}`;

describe('purge matching', () => {
  it('normalizes URLs the way Cloudflare compares them (no scheme, no port)', () => {
    expect(normalizeUrl('https://Example.com:8443/a?b=1')).toBe('example.com/a?b=1');
    expect(normalizeUrl('example.com/a')).toBe('example.com/a');
    expect(hostPathOfKey(key('http://127.0.0.1/about?_rsc=x', 'a-1'))).toBe('127.0.0.1/about?_rsc=x');
  });

  it('files match exactly, whatever the deployment pin of the entry', () => {
    const m = matcher({ files: ['http://127.0.0.1:4000/about'] });
    expect(m(hostPathOfKey(key('http://127.0.0.1/about')))).toBe(true);
    expect(m(hostPathOfKey(key('http://127.0.0.1/about', 'b-2')))).toBe(true);
    expect(m(hostPathOfKey(key('http://127.0.0.1/about?_rsc=1')))).toBe(false);
    expect(m(hostPathOfKey(key('http://127.0.0.1/')))).toBe(false);
  });

  it('prefixes, hosts and everything', () => {
    expect(matcher({ prefixes: ['127.0.0.1/_next/static/'] })('127.0.0.1/_next/static/chunks/a.js')).toBe(true);
    expect(matcher({ prefixes: ['127.0.0.1/_next/static/'] })('127.0.0.1/about')).toBe(false);
    expect(matcher({ hosts: ['127.0.0.1'] })('127.0.0.1/x')).toBe(true);
    expect(matcher({ hosts: ['example.com'] })('127.0.0.1/x')).toBe(false);
    expect(matcher({ everything: true })('anything')).toBe(true);
  });
});
