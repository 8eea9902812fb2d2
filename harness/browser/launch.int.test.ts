import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { afterAll, describe, expect, it } from 'vitest';
import { browserTmpdir, findChromium, launchOptions } from './launch.ts';

// A TMPDIR as deep as a CI checkout's test folder: Chromium's singleton socket cannot live there.
const root = mkdtempSync(join(tmpdir(), 'skew-deep-'));
const deep = join(root, 'a'.repeat(40), 'b'.repeat(40));
mkdirSync(deep, { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Chromium under a deep TMPDIR', () => {
  it('aborts when given that TMPDIR as it is (the failure the fallback exists for)', async () => {
    const opts = { ...launchOptions({}, findChromium(), undefined), env: { ...process.env, TMPDIR: deep }, timeout: 20_000 };
    await expect(chromium.launch(opts)).rejects.toThrow(/Socket path too long|closed/);
  });

  it('starts with the short folder browserTmpdir picks', async () => {
    const browser = await chromium.launch(launchOptions({}, findChromium(), browserTmpdir(deep)));
    expect(browser.isConnected()).toBe(true);
    await browser.close();
  });
});
