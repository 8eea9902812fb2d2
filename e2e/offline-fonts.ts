import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/**
 * `next/font/google` fetches its stylesheet and font files while `next build` runs; this machine
 * reaches only the npm registry. Next.js has its own hook for that, used by its test suite and
 * read by webpack and Turbopack alike: NEXT_FONT_GOOGLE_MOCKED_RESPONSES names a module that maps
 * a Google Fonts CSS URL to the stylesheet Google would send. This writes one for an installed
 * app and returns its path: every family of the app's Next.js font list in the form
 * `next/font/google` asks for by default (its variable weight axis, `display: swap`), in the latin
 * subset, its file at `fontUrl` (`serveFontFile`). Only font files differ from a networked build:
 * no page, chunk or route does.
 *
 * Turbopack evaluates the module in a pool of its own (another working directory, no
 * `require.resolve`) and reads its keys, so the map is written out in full; webpack looks a URL
 * up by name, which the Proxy answers for any other form too. Turbopack then downloads each
 * file the stylesheet names (webpack, under the hook, does not), hence a URL on loopback.
 */
export function offlineGoogleFonts(appDir: string, fontUrl: string): string {
  const list = join(appDir, 'node_modules/next/dist/compiled/@next/font/dist/google/font-data.json');
  const known: Record<string, string> = {};
  const fonts = JSON.parse(readFileSync(list, 'utf8')) as Record<string, { axes?: { tag: string; min: number; max: number }[] }>;
  for (const [family, data] of Object.entries(fonts)) {
    const wght = data.axes?.find((a) => a.tag === 'wght');
    if (!wght) continue;
    const url = `https://fonts.googleapis.com/css2?family=${family.replace(/ /g, '+')}:wght@${wght.min}..${wght.max}&display=swap`;
    known[url] = stylesheet(url, fontUrl);
  }
  const out = join(dirname(appDir), 'google-fonts-offline.cjs');
  writeFileSync(
    out,
    `const stylesheet = ${stylesheet.toString()};\nconst known = ${JSON.stringify(known)};\nmodule.exports = new Proxy(known, { get: (k, url) => k[url] ?? (typeof url === 'string' && url.startsWith('https://') ? stylesheet(url, ${JSON.stringify(fontUrl)}) : undefined) });\n`,
  );
  return out;
}

/**
 * The stylesheet Google sends for a css2 URL: for each family, one latin @font-face per tuple of
 * its axes (`ital,wght@0,400;1,700` is a normal 400 and an italic 700), pointing at `file`.
 */
function stylesheet(url: string, file: string): string {
  return new URL(url).searchParams
    .getAll('family')
    .flatMap((family) => {
      const [name = '', spec = ''] = family.split(':');
      const [axes = '', tuples = ''] = spec.split('@');
      const names = axes ? axes.split(',') : [];
      const rows = tuples ? tuples.split(';').map((t) => t.split(',')) : [[]];
      return rows.map((row) => {
        const ital = names.includes('ital') && row[names.indexOf('ital')] === '1';
        const weight = names.includes('wght') ? row[names.indexOf('wght')]!.replace('..', ' ') : '400';
        return `/* latin */\n@font-face {\n  font-family: '${name.replace(/\+/g, ' ')}';\n  font-style: ${ital ? 'italic' : 'normal'};\n  font-weight: ${weight};\n  font-display: swap;\n  src: url(${file}) format('woff2');\n  unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+2000-206F, U+20AC, U+2122, U+2212, U+FEFF, U+FFFD;\n}\n`;
      });
    })
    .join('');
}

/**
 * Serves one font file (Geist, from skew's own Next.js) at every path on 127.0.0.1, for the
 * builds of apps that use `next/font/google`; close it when they are done.
 */
export async function serveFontFile(): Promise<{ url: string; close: () => Promise<void> }> {
  const font = readFileSync(resolve('node_modules/next/dist/next-devtools/server/font/geist-latin.woff2'));
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'font/woff2' }).end(font));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/s/offline/font.woff2`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
