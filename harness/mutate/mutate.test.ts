import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coveredLines, diffOf, sourcedFiles } from './mutate.ts';

const dir = mkdtempSync(join(tmpdir(), 'skew mutate '));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('skew mutate, the parts without a stack', () => {
  it('follows what a script sources next to it, also from a subfolder', async () => {
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'lib.sh'), 'x() { :; }\n');
    writeFileSync(join(dir, 'broken', 'bad.sh'), '#!/usr/bin/env bash\nsource "$(dirname "$0")/../lib.sh"\nx\n');
    expect(await sourcedFiles(join(dir, 'broken', 'bad.sh'))).toEqual([join(dir, 'broken', 'bad.sh'), join(dir, 'lib.sh')]);
  });

  it('reads the lines a traced run reached, relative to the copy', () => {
    const trace = [`+${dir}/lib.sh:12: ln -sfn a b`, `++${dir}/lib.sh:40: curl -sS x`, `+/elsewhere/x.sh:3: echo`, 'noise'].join('\n');
    expect([...coveredLines(trace, dir)]).toEqual(['lib.sh:12', 'lib.sh:40']);
  });

  it('shows a survivor as a diff', () => {
    expect(
      diffOf({ id: 'x', file: 'lib.sh', line: 66, operator: 'change-number', before: '  keep_releases 3', after: '  keep_releases 2' }),
    ).toBe('--- lib.sh:66 (change-number)\n-   keep_releases 3\n+   keep_releases 2');
  });
});
