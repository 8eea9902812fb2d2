import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../harness/checks/index.ts';
import { PACKAGE_ROOT } from '../harness/io/package-root.ts';
import { CATALOGUE } from '../scenarios/index.ts';
import { program } from './main.ts';
import { REFERENCE_PATH, referenceMarkdown } from './reference.ts';

const QUIET = { env: {}, cwd: '/', out: () => {}, err: () => {}, isTTY: false };

describe('docs/reference.md', () => {
  const generated = referenceMarkdown();

  it('is what the CLI definition and the registries give (run `npm run reference` after changing them)', () => {
    expect(readFileSync(join(PACKAGE_ROOT, REFERENCE_PATH), 'utf8')).toBe(generated);
  });

  it('names every scenario, check, command and exit code', () => {
    for (const s of CATALOGUE) expect(generated).toContain(`| \`${s.name}\` |`);
    for (const c of Object.keys(CHECKS)) expect(generated).toContain(`| \`${c}\` |`);
    for (const c of ['run', 'init', 'mutate', 'repro', 'fuzz', 'down', 'doctor', 'explain', 'probe', 'list'])
      expect(generated).toContain(`### skew ${c}\n`);
    for (const code of [0, 1, 2, 64, 69, 70, 129, 130, 141, 143]) expect(generated).toContain(`| ${code} |`);
  });

  it("the README's short list of commands names every command of the CLI", () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const list = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 1));
    for (const c of program(QUIET, () => {}).commands) expect(list).toContain(`\`skew ${c.name()}`);
  });
});
