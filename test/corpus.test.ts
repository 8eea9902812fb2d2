import { createRequire } from 'node:module';
import { existsSync, readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCKFILE } from '../e2e/corpus-generated.ts';
import { CORPUS, GENERATED } from '../e2e/corpus.ts';
import { offlineGoogleFonts } from '../e2e/offline-fonts.ts';
import { tempDirs } from './temp-dirs.ts';

const temp = tempDirs();

describe('the corpus (e2e/corpus.ts): twenty apps, each generated one with its committed lockfile', () => {
  it('has at least twenty apps, each name once', () => {
    const names = [...CORPUS, ...GENERATED].map((a) => a.name);
    expect(names.length).toBeGreaterThanOrEqual(20);
    expect(new Set(names).size).toBe(names.length);
  });

  for (const app of GENERATED)
    it(`${app.name}: its lockfile is the one its starter's output resolves to (name, Next ${app.next}), and SOURCE.md names the starter`, () => {
      const dir = resolve('test/apps', app.name);
      const lock = readFileSync(join(dir, LOCKFILE[app.packageManager]), 'utf8');
      if (app.packageManager === 'npm') {
        const parsed = JSON.parse(lock) as { name: string; packages: Record<string, { version?: string }> };
        // create-next-app and create-t3-app name the package after its folder; a copied template keeps its own.
        if (app.from!.args) expect(parsed.name).toBe(app.name);
        expect(parsed.packages['node_modules/next']!.version).toBe(app.next);
      } else if (app.packageManager === 'pnpm') expect(lock).toMatch(new RegExp(`\\n {2}next@${app.next.replace(/\./g, '\\.')}`));
      else expect(lock).toMatch(new RegExp(`\\nnext@[^\\n]*:\\n {2}version "${app.next.replace(/\./g, '\\.')}"`));
      expect(readFileSync(join(dir, 'SOURCE.md'), 'utf8')).toContain(app.from!.npm);
    });
});

describe('offline Google Fonts (e2e/offline-fonts.ts)', () => {
  // skew's own Next.js stands in for an app's: its font list is the one `next build` reads.
  const app = temp('skew-fonts-');
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(resolve('node_modules/next'), join(app, 'node_modules', 'next'));

  it('answers the URL next/font/google asks for by default with a stylesheet naming the served file, and any other form by name', () => {
    const file = offlineGoogleFonts(app, 'http://127.0.0.1:9/s/offline/font.woff2');
    expect(existsSync(file)).toBe(true);
    const mock = createRequire(import.meta.url)(file) as Record<string, string | undefined>;
    // What Turbopack reads: the module's own keys.
    const geist = 'https://fonts.googleapis.com/css2?family=Geist:wght@100..900&display=swap';
    expect(Object.keys(mock)).toContain(geist);
    expect(mock[geist]).toMatch(
      /\/\* latin \*\/\n@font-face \{\n {2}font-family: 'Geist';[^}]*font-weight: 100 900;[^}]*src: url\(http:\/\/127\.0\.0\.1:9\/s\/offline\/font\.woff2\) format\('woff2'\);/,
    );
    // What webpack does: a lookup by name, here of fixed weights and italics.
    const roboto = 'https://fonts.googleapis.com/css2?family=Roboto:ital,wght@0,400;1,700&display=swap';
    expect(Object.keys(mock)).not.toContain(roboto);
    expect(mock[roboto]).toMatch(/font-family: 'Roboto';\n {2}font-style: italic;\n {2}font-weight: 700;/);
  });
});
