import { describe, expect, it } from 'vitest';
import { browserTmpdir, CHROMIUM_ARGS, launchOptions, NO_BFCACHE_FLAG, SINGLETON_SOCKET_SUFFIX } from './launch.ts';

describe('launchOptions', () => {
  it("keeps Playwright's default flags (back/forward cache disabled) unless bfcache is asked for", () => {
    for (const o of [
      launchOptions({}, '/chrome'),
      launchOptions({ bfcache: false }, '/chrome'),
      launchOptions({ headless: false }, '/chrome'),
    ]) {
      expect(o).not.toHaveProperty('ignoreDefaultArgs');
      expect(o!.args).toEqual(CHROMIUM_ARGS);
      expect(o!.executablePath).toBe('/chrome');
    }
  });

  it('drops only --disable-back-forward-cache from the defaults with bfcache', () => {
    const o = launchOptions({ bfcache: true }, '/chrome');
    expect(NO_BFCACHE_FLAG).toBe('--disable-back-forward-cache');
    expect(o!.ignoreDefaultArgs).toEqual([NO_BFCACHE_FLAG]);
    expect(o!.args).toEqual(CHROMIUM_ARGS);
    expect(o!.headless).toBe(true);
  });
});

describe('browserTmpdir', () => {
  const deep = `/check/work/main/runs/e2e/corpus-with-dynamic-import-PNgdGz/tmp`;

  it('keeps a short TMPDIR and replaces one too deep for the singleton socket', () => {
    expect(browserTmpdir('/tmp')).toBeUndefined();
    expect(Buffer.byteLength(deep + SINGLETON_SOCKET_SUFFIX)).toBeGreaterThan(107);
    expect(browserTmpdir(deep, ['/nonexistent-skew', '/tmp'])).toBe('/tmp');
    expect(launchOptions({}, '/chrome', '/tmp')!.env).toMatchObject({ TMPDIR: '/tmp' });
    expect(launchOptions({}, '/chrome', undefined)).not.toHaveProperty('env');
  });

  it('says what to set when no short folder is writable', () => {
    expect(() => browserTmpdir(deep, ['/nonexistent-skew'])).toThrow(
      expect.objectContaining({ code: 'NO_BROWSER', hint: expect.stringMatching(/set TMPDIR to a short writable folder/) }),
    );
  });
});
