import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareOutputFile } from './output-path.ts';
import { tempDirs } from '../../test/temp-dirs.ts';

const temp = tempDirs();

describe('prepareOutputFile', () => {
  const root = temp('skew out dir ü-');

  it('makes the missing folders (a path with spaces and non-ASCII) and returns the absolute path', async () => {
    const file = await prepareOutputFile(join(root, 'a b', 'c', 'junit.xml'), '--junit');
    expect(file).toBe(join(root, 'a b', 'c', 'junit.xml'));
    writeFileSync(file, 'x');
  });

  it('refuses at once a folder that cannot exist (/proc, where recursive mkdir never returns), a file as a folder, a folder as the file', async () => {
    await expect(prepareOutputFile('/proc/nope/j.xml', '--junit')).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/^--junit \/proc\/nope\/j\.xml: cannot write there \(cannot create \/proc\/nope: ENOENT\)/),
    });
    writeFileSync(join(root, 'plain'), 'x');
    await expect(prepareOutputFile(join(root, 'plain', 'j.xml'), '--junit')).rejects.toThrow(/is not a folder/);
    mkdirSync(join(root, 'dir.xml'));
    await expect(prepareOutputFile(join(root, 'dir.xml'), '--junit')).rejects.toThrow(/it is a folder/);
  });
});
