import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAppConfig, refuseUnsupportedConfig } from './app-config.ts';

// The real loader of a real Next (skew's own), on configs written the ways apps write them.
const NEXT = dirname(createRequire(import.meta.url).resolve('next/package.json'));

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function appWith(file: string, text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'skew-app-config-'));
  made.push(d);
  writeFileSync(join(d, 'package.json'), '{"name":"x","type":"module"}');
  writeFileSync(join(d, file), text);
  return d;
}

describe("loading an app's next.config before any build", () => {
  it('reads output, basePath and assetPrefix from .mjs and .ts configs', async () => {
    const mjs = appWith('next.config.mjs', "export default { basePath: '/shop', assetPrefix: '/shop/' }");
    expect(await loadAppConfig(mjs, NEXT)).toEqual({ basePath: '/shop', assetPrefix: '/shop' });
    const ts = appWith('next.config.ts', "const c: { output: 'standalone' } = { output: 'standalone' };\nexport default c;\n");
    expect(await loadAppConfig(ts, NEXT)).toEqual({ output: 'standalone', basePath: '', assetPrefix: '' });
    // The app's directory is only read: loading a TypeScript config writes nothing next to it.
    expect(readdirSync(ts).sort()).toEqual(['next.config.ts', 'package.json']);
  }, 30_000);

  it("refuses output: 'export' and an absolute assetPrefix with the reason and the way out", async () => {
    const exported = await loadAppConfig(appWith('next.config.mjs', "export default { output: 'export' }"), NEXT);
    expect(() => refuseUnsupportedConfig(exported!)).toThrow(/output: 'export'/);
    const cdn = await loadAppConfig(appWith('next.config.mjs', "export default { assetPrefix: 'https://cdn.example.com' }"), NEXT);
    expect(() => refuseUnsupportedConfig(cdn!)).toThrow(/assetPrefix is https:\/\/cdn.example.com/);
    expect(() => refuseUnsupportedConfig({ assetPrefix: '//cdn.example.com' })).toThrow(/assetPrefix/);
    expect(() => refuseUnsupportedConfig({ assetPrefix: '/static' })).not.toThrow();
  }, 30_000);

  it("names a config that throws as the app's own problem, with Next's message", async () => {
    const broken = appWith('next.config.mjs', "throw new Error('DATABASE_URL is required')");
    await expect(loadAppConfig(broken, NEXT)).rejects.toMatchObject({
      code: 'INVALID_APP',
      details: expect.arrayContaining([expect.stringMatching(/DATABASE_URL is required/)]),
    });
  }, 30_000);
});
