import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './config-file.ts';

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

  it('names the file and the unknown key, or the syntax error', async () => {
    await expect(loadConfigFile(dir({ 'skew.config.json': '{"cdn":"process","retries":3}' }))).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/skew\.config\.json: unknown key retries/),
      hint: expect.stringContaining('deployer, bundler, cdn, world, deploymentId, json, junit'),
    });
    await expect(loadConfigFile(dir({ 'skew.config.json': '{nope' }))).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
