import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import { cacheStatus } from './cache-status.ts';
import type { CheckInput } from './check.ts';
import { contentRenders } from './content-renders.ts';
import { newSessionsCurrent } from './new-sessions-current.ts';
import { noChunkLoadError } from './no-chunk-load-error.ts';
import { noHardReload } from './no-hard-reload.ts';
import { oldAssetsSurvive } from './old-assets-survive.ts';
import { publicFilesCurrent } from './public-files-current.ts';

const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
const input = (...events: HistoryEvent[]): CheckInput => ({ events: events.map((e, i) => ({ t: i * 10, ...e }) as Stamped), versions });

const open = (session: string, version = 'A', expectVersion?: string): HistoryEvent => ({
  type: 'session-open',
  session,
  url: 'http://127.0.0.1:1/',
  version,
  deploymentId: null,
  ...(expectVersion ? { expectVersion } : {}),
});
const deployed = (version: string): HistoryEvent => ({
  type: 'deployer',
  deployer: 'd',
  action: 'deploy',
  version,
  deploymentId: version,
  ok: true,
  ms: 1,
});
const probe = (label: string, url: string, cache: string, age: string | null = cache === 'MISS' ? '0' : '5'): HistoryEvent => ({
  type: 'probe',
  label,
  url,
  status: 200,
  cache,
  age,
  deployment: null,
});
const asset = (url: string, status: number, cache: string, version = 'A'): HistoryEvent => ({
  type: 'probe',
  label: `assets-${version}`,
  url,
  status,
  cache,
  age: '0',
  deployment: null,
  version,
  assetKind: 'chunk',
});

describe('no-chunk-load-error', () => {
  it('fires on a Turbopack ChunkLoadError and names the session, the URL and the 404 (negative control)', () => {
    const r = noChunkLoadError.judge(
      input(
        open('app-a'),
        {
          type: 'response',
          session: 'app-a',
          url: 'http://127.0.0.1:1/_next/static/chunks/x.js?dpl=a-1',
          resource: 'script',
          status: 404,
          cache: 'MISS',
          age: '0',
          deployment: null,
        },
        {
          type: 'pageerror',
          session: 'app-a',
          message: 'ChunkLoadError: Failed to load chunk /_next/static/chunks/x.js?dpl=a-1 from module 7',
        },
      ),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence.join('\n')).toMatch(/session app-a.*chunk-load-error for \/_next\/static\/chunks\/x\.js\?dpl=a-1/);
    expect(r.evidence.join('\n')).toContain('404 /_next/static/chunks/x.js?dpl=a-1');
  });

  it('passes when errors are unrelated, and is inconclusive with no session', () => {
    expect(noChunkLoadError.judge(input(open('a'), { type: 'console-error', session: 'a', message: 'net::ERR_ABORTED' })).verdict).toBe(
      'pass',
    );
    expect(noChunkLoadError.judge(input()).verdict).toBe('inconclusive');
  });
});

describe('content-renders', () => {
  it('fails on a silently stuck next/dynamic and lists the failed requests', () => {
    const r = contentRenders.judge({
      events: [
        {
          t: 100,
          type: 'response',
          session: 'pages-a',
          url: 'http://h/_next/static/chunks/d.js',
          resource: 'script',
          status: 404,
          cache: 'MISS',
          age: '0',
          deployment: null,
        },
        {
          t: 4100,
          type: 'action',
          session: 'pages-a',
          action: 'renderDynamic',
          target: 'dynamic-button',
          outcome: 'missing',
          version: 'A',
          waitedMs: 4050,
          detail: 'waited 4000 ms for [data-testid="dynamic-result"]',
        },
      ],
      versions,
    });
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toContain('404 /_next/static/chunks/d.js');
  });

  it('passes when every action showed its content', () => {
    expect(
      contentRenders.judge(
        input({ type: 'action', session: 's', action: 'lazyLoad', target: 'lazy-button', outcome: 'ok', version: 'A', waitedMs: 30 }),
      ).verdict,
    ).toBe('pass');
  });
});

describe('no-hard-reload', () => {
  it('reports each hard reload as a finding', () => {
    const r = noHardReload.judge(
      input(open('app-a'), { type: 'hard-reload', session: 'app-a', url: 'http://h/about', version: 'B', during: 'navigate link-about' }),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe('session app-a: hard reload during "navigate link-about" → now at /about showing version B');
  });
  it('passes without reloads', () => expect(noHardReload.judge(input(open('a'))).verdict).toBe('pass'));
});

describe('new-sessions-current', () => {
  it('fails when a new session gets the old version (stale HTML)', () => {
    expect(newSessionsCurrent.judge(input(open('b', 'A', 'B'))).verdict).toBe('fail');
    expect(newSessionsCurrent.judge(input(open('b', 'B', 'B'))).verdict).toBe('pass');
  });
});

describe('old-assets-survive', () => {
  it('fails listing each missing URL, passes when all answer 200', () => {
    const bad = oldAssetsSurvive.judge(
      input(asset('/_next/static/chunks/a.js', 200, 'HIT'), asset('/_next/static/chunks/b.js?dpl=a-1', 404, 'MISS')),
    );
    expect(bad.verdict).toBe('fail');
    expect(bad.evidence.join('\n')).toContain('404 /_next/static/chunks/b.js?dpl=a-1');
    expect(oldAssetsSurvive.judge(input(asset('/_next/static/chunks/a.js', 200, 'MISS'))).verdict).toBe('pass');
    expect(oldAssetsSurvive.judge(input()).verdict).toBe('inconclusive');
  });
});

describe('cache-status', () => {
  it("passes the document's expectations: MISS then HIT, MISS Age 0 after deploy, static HIT on repeat, HTML-only purge", () => {
    const r = cacheStatus.judge(
      input(
        deployed('A'),
        probe('p1', '/', 'MISS'),
        probe('p1', '/', 'HIT'),
        deployed('B'),
        {
          type: 'purge',
          by: 'd',
          request: { files: ['http://127.0.0.1:1/', 'http://127.0.0.1:1/about'] },
          evicted: ['http://127.0.0.1/|rsc=|prefetch=|segment=|dpl='],
        },
        probe('p2', '/', 'MISS'),
        probe('p2', '/', 'HIT'),
        asset('/_next/static/chunks/a.js', 200, 'MISS'),
        asset('/_next/static/chunks/a.js', 200, 'HIT'),
      ),
    );
    expect(r.verdict, r.evidence.join('\n')).toBe('pass');
  });

  it('fails on a lingering HIT with an Age after a deploy (HTML not purged)', () => {
    const r = cacheStatus.judge(input(deployed('A'), probe('p1', '/', 'MISS'), deployed('B'), probe('p2', '/', 'HIT', '12')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toContain('/ after deploy B: HIT with Age 12, expected MISS with Age 0');
  });

  it('fails when hashed static is purged (purge everything, or a /_next/static prefix)', () => {
    const all = cacheStatus.judge(
      input(probe('p', '/', 'MISS'), {
        type: 'purge',
        by: 'replace-in-place',
        request: { everything: true },
        evicted: ['http://127.0.0.1/_next/static/chunks/a.js?dpl=a-1|rsc=|prefetch=|segment=|dpl=a-1'],
      }),
    );
    expect(all.verdict).toBe('fail');
    expect(all.evidence[0]).toMatch(/replace-in-place purged hashed static assets \(purge_everything\): 1 hashed entry evicted/);
    const prefix = cacheStatus.judge(
      input(probe('p', '/', 'MISS'), { type: 'purge', by: 'x', request: { prefixes: ['127.0.0.1/_next/static/'] }, evicted: [] }),
    );
    expect(prefix.verdict).toBe('fail');
  });

  it('fails when a hashed static file is not a HIT on repeat (not cached)', () => {
    expect(
      cacheStatus.judge(input(asset('/_next/static/chunks/a.js', 200, 'MISS'), asset('/_next/static/chunks/a.js', 200, 'MISS'))).verdict,
    ).toBe('fail');
  });
});

describe('public-files-current', () => {
  const pp = (path: string, servedVersion: string, currentVersion: string, cache = 'HIT'): HistoryEvent => ({
    type: 'public-probe',
    path,
    status: 200,
    cache,
    age: '40',
    servedVersion,
    currentVersion,
  });
  it("fails when the edge serves the other version's copy of a changed public file", () => {
    const r = publicFilesCurrent.judge(input(pp('/logo.svg', 'B', 'A'), pp('/favicon.ico', 'A/B', 'A')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual([
      "/logo.svg: served version B's file while A is current (CF-Cache-Status HIT, Age 40): purge the public paths that changed",
    ]);
  });
  it("passes when every file is the current version's (unchanged files match both)", () => {
    expect(publicFilesCurrent.judge(input(pp('/logo.svg', 'A', 'A'), pp('/favicon.ico', 'A/B', 'A'))).verdict).toBe('pass');
    expect(publicFilesCurrent.judge(input()).verdict).toBe('inconclusive');
  });
});
