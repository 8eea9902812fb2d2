import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HIT, instrumentRegions, reached } from './ts-coverage.ts';

const SOURCE = `export function pick(n: number): string {
  if (n > 1) {
    return 'many';
  } else if (n === 1) return 'one';
  const none = [n].map((x: number) => x * 2);
  return none.length ? 'none' : '';
}
`;

describe('region coverage of a module deployer', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('reports the regions a real run entered, and only those', async () => {
    const { text, regions } = instrumentRegions(SOURCE, 'pick.ts');
    const dir = await mkdtemp(join(tmpdir(), 'skew-cov-'));
    dirs.push(dir);
    await writeFile(join(dir, 'pick.ts'), text);
    const hits = new Set<number>();
    (globalThis as Record<string, unknown>)[HIT] = (file: string, start: number) => {
      expect(file).toBe('pick.ts');
      hits.add(start);
    };
    try {
      const { pick } = (await import(pathToFileURL(join(dir, 'pick.ts')).href)) as { pick(n: number): string };
      expect(pick(0)).toBe('none');
    } finally {
      delete (globalThis as Record<string, unknown>)[HIT];
    }
    const at = (code: string) => reached(SOURCE.indexOf(code), regions, hits);
    expect(at("return 'many'")).toBe(false);
    expect(at("return 'one'")).toBe(false);
    expect(at('x * 2')).toBe(true);
    expect(at("'none' : ''")).toBe(true);
  });
});
