import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interrupt, resetInterrupt } from '../io/interrupt.ts';
import { loadConfigFile } from './config-file.ts';
import { resolveRunOptions } from './options.ts';

const dir = (files: Record<string, string>) => {
  const d = mkdtempSync(join(tmpdir(), 'skew-config-'));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
};

describe('skew.config file', () => {
  it('loads skew.config.ts (first found) and is absent without one', async () => {
    const d = dir({
      'skew.config.ts': "export default { deployer: './deploy.sh', cdn: 'container' } satisfies Record<string, string>;\n",
      'skew.config.json': '{"cdn":"process"}',
    });
    expect(await loadConfigFile(d)).toEqual({ path: join(d, 'skew.config.ts'), values: { deployer: './deploy.sh', cdn: 'container' } });
    expect(await loadConfigFile(dir({}))).toBeUndefined();
  });

  it('takes workers and deployerTimeout, which the hung-deployer hint and the deployer contract name, validated as their flags', async () => {
    const d = dir({ 'skew.config.json': '{"workers":2,"deployerTimeout":300}' });
    const file = await loadConfigFile(d);
    expect(resolveRunOptions({}, {}, file)).toMatchObject({ workers: 2, deployerTimeout: 300 });
    const bad = await loadConfigFile(dir({ 'skew.config.json': '{"deployerTimeout":0}' }));
    expect(() => resolveRunOptions({}, {}, bad)).toThrow(/skew\.config\.json: deployerTimeout = 0 is not valid: at least 1 second/);
  });

  it('gives up on a config whose top-level await never settles, naming it; a signal ends the wait at once', async () => {
    const never = dir({ 'skew.config.mjs': 'await new Promise(() => {});\nexport default {};\n' });
    const started = Date.now();
    await expect(loadConfigFile(never, { importTimeoutMs: 300 })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: `${join(never, 'skew.config.mjs')} did not finish loading within 0.3 s`,
      hint: expect.stringContaining('never settles'),
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    const waiting = loadConfigFile(dir({ 'skew.config.mjs': 'await new Promise(() => {});\nexport default {};\n' }));
    setTimeout(() => interrupt('SIGINT'), 100);
    try {
      await expect(waiting).rejects.toMatchObject({ name: 'Interrupted', signal: 'SIGINT' });
    } finally {
      resetInterrupt();
    }
  });

  it('says what a config path is when it is no file, without opening it (a FIFO would block: bin.test.ts)', async () => {
    const d = dir({});
    mkdirSync(join(d, 'skew.config.json'));
    await expect(loadConfigFile(d)).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: `${join(d, 'skew.config.json')} is a folder, not a file`,
    });
  });

  it('names the file and the unknown key, or the syntax error', async () => {
    await expect(loadConfigFile(dir({ 'skew.config.json': '{"cdn":"process","retries":3}' }))).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/skew\.config\.json: unknown key retries/),
      hint: expect.stringContaining('deployer, bundler, cdn, world, deploymentId, json, junit'),
    });
    await expect(loadConfigFile(dir({ 'skew.config.json': '{nope' }))).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
