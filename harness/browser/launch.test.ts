import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, launchOptions, NO_BFCACHE_FLAG } from './launch.ts';

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
