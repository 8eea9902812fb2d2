import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isScenarioFile, loadScenarioFile } from './file.ts';

const dir = mkdtempSync(join(tmpdir(), 'skew-scenario-file-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const valid = {
  name: 'fuzz-x-1',
  title: 't',
  description: 'd',
  source: 's',
  versions: ['A', 'B'],
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'tab1', path: '/' },
    { kind: 'deploy', version: 'B' },
    { kind: 'lazyLoad', session: 'tab1' },
  ],
  checks: ['no-chunk-load-error'],
  reference: { good: 'releases-symlink', broken: [{ deployer: 'prune-to-one', fails: ['no-chunk-load-error'] }] },
};

describe('scenario files (what skew fuzz writes, what skew run reads)', () => {
  it('tells a file from a catalogue name', () => {
    expect(isScenarioFile('fuzz/fuzz-x-1.json')).toBe(true);
    expect(isScenarioFile('roll-forward')).toBe(false);
  });

  it('loads and validates a JSON scenario', async () => {
    const s = await loadScenarioFile(write('ok.json', JSON.stringify(valid)));
    expect(s.name).toBe('fuzz-x-1');
    expect(s.steps).toHaveLength(4);
  });

  it('refuses a missing file, bad JSON and an invalid scenario, each with a coded error naming the file', async () => {
    await expect(loadScenarioFile(join(dir, 'nope.json'))).rejects.toMatchObject({
      code: 'INVALID_SCENARIO',
      message: expect.stringContaining('ENOENT'),
    });
    await expect(loadScenarioFile(write('bad.json', '{ "name": '))).rejects.toMatchObject({
      code: 'INVALID_SCENARIO',
      message: expect.stringContaining('is not JSON'),
    });
    // Said for what it is, never opened: a device reads as something else, a FIFO blocks (bin.test.ts).
    await expect(loadScenarioFile('/dev/null')).rejects.toMatchObject({
      code: 'INVALID_SCENARIO',
      message: 'scenario file /dev/null is a device, not a file',
      hint: expect.stringContaining('save it to a file first'),
    });
    await expect(loadScenarioFile(dir)).rejects.toMatchObject({ message: `scenario file ${dir} is a folder, not a file` });
    const wrong = write('wrong.json', JSON.stringify({ ...valid, steps: [{ kind: 'teleport' }] }));
    await expect(loadScenarioFile(wrong)).rejects.toMatchObject({ code: 'INVALID_SCENARIO', message: expect.stringContaining(wrong) });
  });
});
