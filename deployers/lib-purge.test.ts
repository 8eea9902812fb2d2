import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const LIB = resolve('deployers/lib.sh');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * lib.sh's purge steps with the API call replaced by a recorder (the real API's limit, 100 items
 * a request and code 1094 beyond, is harness/cdn/purge.ts's and is tested there): what requests
 * does a deploy of `pages` HTML paths send, and does a refused one stop the deploy?
 */
function purges(pages: number, opts: { failOn?: number; step?: string } = {}): { bodies: unknown[]; code: number; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'skew-lib-purge-'));
  dirs.push(dir);
  const log = join(dir, 'bodies');
  const paths = Array.from({ length: pages }, (_, i) => (i === 0 ? '/' : `/posts/${i}`)).join('\n');
  const script = `
    source ${JSON.stringify(LIB)}
    n=0
    purge() { n=$((n + 1)); echo "$1" >> ${JSON.stringify(log)}; [[ $n != ${opts.failOn ?? 0} ]]; }
    verify_purged() { :; }
    ${opts.step ?? 'purge_html'}
    echo done`;
  let code = 0;
  let stderr = '';
  try {
    execFileSync('bash', ['-c', script], {
      env: {
        PATH: process.env.PATH,
        SKEW_ACTION: 'deploy',
        SKEW_DEPLOY_ROOT: dir,
        RELEASES_DIR: join(dir, 'releases'),
        CURRENT_LINK: join(dir, 'current'),
        SKEW_RELEASE_ID: 'b',
        SITE_URL: 'http://127.0.0.1:8080',
        SKEW_HOST: '127.0.0.1',
        SKEW_HTML_PATHS: paths,
        SKEW_HTML_PREFIXES: Array.from({ length: pages }, (_, i) => `/p${i}/`).join('\n'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    code = (e as { status: number }).status;
    stderr = String((e as { stderr: Buffer }).stderr);
  }
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {}
  return {
    bodies: text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
    code,
    stderr,
  };
}

describe("lib.sh purges in Cloudflare's batches", () => {
  it('250 HTML paths are purged in requests of 100, 100 and 50, every path once', () => {
    const { bodies, code } = purges(250, { step: 'purge_html' });
    expect(code).toBe(0);
    const files = bodies.filter((b): b is { files: string[] } => 'files' in (b as object));
    expect(files.map((b) => b.files.length)).toEqual([100, 100, 50]);
    expect(new Set(files.flatMap((b) => b.files)).size).toBe(250);
    expect(files[0]!.files[0]).toBe('http://127.0.0.1:8080/');
    // The prefixes too (hostname/path, no scheme).
    const prefixes = bodies.filter((b): b is { prefixes: string[] } => 'prefixes' in (b as object));
    expect(prefixes.map((b) => b.prefixes.length)).toEqual([100, 100, 50]);
    expect(prefixes[0]!.prefixes[0]).toBe('127.0.0.1/p0/');
  });

  it('a small site is still one request', () => {
    const { bodies } = purges(16, { step: 'purge_html' });
    expect(bodies.map((b) => Object.keys(b as object)[0])).toEqual(['files', 'prefixes']);
  });

  it('a refused batch fails the deploy, and no later batch is sent (negative control)', () => {
    const { bodies, code } = purges(250, { step: 'purge_html', failOn: 2 });
    expect(code).not.toBe(0);
    expect(bodies).toHaveLength(2);
  });
});
