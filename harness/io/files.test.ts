import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepSymlinksAfterMove, worldReadable } from './files.ts';

/** The layout Turbopack leaves: `<root>/app/.next/node_modules/<pkg>-<hash>` → `../../node_modules/<pkg>` in the root. */
function turbopackLayout() {
  const root = mkdtempSync(join(tmpdir(), 'skew-files-'));
  mkdirSync(join(root, 'node_modules', 'fuse.js'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'fuse.js', 'index.js'), 'module.exports = 1');
  const app = join(root, 'work', 'app');
  mkdirSync(join(app, '.next', 'node_modules'), { recursive: true });
  mkdirSync(join(app, '.next', 'server'), { recursive: true });
  writeFileSync(join(app, '.next', 'server', 'page.js'), '');
  symlinkSync('../../../../node_modules/fuse.js', join(app, '.next', 'node_modules', 'fuse.js-c8db49fd'));
  symlinkSync('../server/page.js', join(app, '.next', 'node_modules', 'inside'));
  return { root, app };
}

describe('publishing a build that holds symlinks', () => {
  it('points a relative link that leaves the tree at its old target, and leaves links inside the tree alone', async () => {
    const { root, app } = turbopackLayout();
    const to = join(root, 'builds', 'key', 'app');
    mkdirSync(join(root, 'builds', 'key'), { recursive: true });
    renameSync(app, to);
    expect(() => statSync(join(to, '.next', 'node_modules', 'fuse.js-c8db49fd'))).toThrow(/ENOENT/);
    expect(await keepSymlinksAfterMove(app, to)).toEqual([join('.next', 'node_modules', 'fuse.js-c8db49fd')]);
    expect(readFileSync(join(to, '.next', 'node_modules', 'fuse.js-c8db49fd', 'index.js'), 'utf8')).toBe('module.exports = 1');
    expect(readlinkSync(join(to, '.next', 'node_modules', 'inside'))).toBe('../server/page.js');
  });

  it('makes a tree world-readable without following or failing on a dangling link', async () => {
    const { app } = turbopackLayout();
    symlinkSync('/nonexistent/target', join(app, '.next', 'dangling'));
    await worldReadable(app);
    expect(statSync(join(app, '.next', 'server', 'page.js')).mode & 0o444).toBe(0o444);
  });
});
