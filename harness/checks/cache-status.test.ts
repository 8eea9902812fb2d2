import { describe, expect, it } from 'vitest';
import { asset, input as stampedInput } from '../../test/check-history.ts';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import { cacheStatus } from './cache-status.ts';
import type { CheckInput } from './check.ts';

const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
const at = (t: number, e: HistoryEvent) => ({ t, ...e }) as Stamped;
const input = (...events: Stamped[]): CheckInput => ({ events, versions });
/** Deploy of B from 2000 to 4500 ms (deployer events carry the end `t` and the duration). */
const deployB = at(4500, { type: 'deployer', deployer: 'd', action: 'deploy', version: 'B', deploymentId: 'b-2', ok: true, ms: 2500 });
const purgeAt = (t: number, note?: string) =>
  at(t, {
    type: 'purge',
    by: 'd',
    via: 'api',
    request: { files: ['https://www.example.com/'] },
    evicted: ['k'],
    status: 200,
    ...(note ? { note } : {}),
  });
const html = (t: number, cache: string, age: string) =>
  at(t, { type: 'probe', label: 'html-after-B', url: 'http://127.0.0.1:8080/', status: 200, cache, age, deployment: 'b-2' });
const STALE = 'http://127.0.0.1:8080/ after deploy B: HIT with Age 7, expected MISS with Age 0 (the HTML purge did not reach it)';

describe('cache-status: first HTML request after a deploy', () => {
  it('passes a MISS with Age 0 and fails a HIT with an Age when nothing was purged (negative control)', () => {
    expect(cacheStatus.judge(input(deployB, html(5000, 'MISS', '0'))).verdict).toBe('pass');
    const r = cacheStatus.judge(input(deployB, html(5000, 'HIT', '7')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe(STALE);
  });

  it('accepts a HIT cached after a purge that landed during the deploy (Age within the time since the purge)', () => {
    const r = cacheStatus.judge(input(purgeAt(4000), deployB, html(5000, 'HIT', '1')));
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toContain('1 HTML request(s) after a deploy/rollback checked for MISS with Age 0');
  });

  it('rejects a HIT older than the time since the purge', () => {
    const r = cacheStatus.judge(input(purgeAt(4000), deployB, html(5000, 'HIT', '2')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toContain('HIT with Age 2, expected MISS with Age 0');
  });

  it('does not count a purge that was only accepted (applied late) as landed', () => {
    const r = cacheStatus.judge(input(purgeAt(4000, 'accepted; applied 8000 ms late (fault purge-late)'), deployB, html(5000, 'HIT', '1')));
    expect(r.verdict).toBe('fail');
  });

  it('does not count a purge before the deploy started, a rejected one, or a HIT without an Age', () => {
    expect(cacheStatus.judge(input(purgeAt(1500), deployB, html(5000, 'HIT', '1'))).verdict).toBe('fail');
    const rejected = at(4000, { type: 'purge', by: 'd', via: 'api', evicted: [], status: 429, errorCode: 971 });
    expect(cacheStatus.judge(input(rejected, deployB, html(5000, 'HIT', '1'))).verdict).toBe('fail');
    expect(
      cacheStatus.judge(
        input(
          purgeAt(4000),
          deployB,
          at(5000, { type: 'probe', label: 'l', url: 'http://127.0.0.1:8080/', status: 200, cache: 'HIT', age: null, deployment: 'b-2' }),
        ),
      ).verdict,
    ).toBe('fail');
  });

  it('does not count a purge that landed after the deploy ended, or one of another URL', () => {
    expect(cacheStatus.judge(input(deployB, purgeAt(4800), html(5000, 'HIT', '1'))).verdict).toBe('fail');
    const other = at(4000, {
      type: 'purge',
      by: 'd',
      via: 'api',
      request: { files: ['https://www.example.com/about'] },
      evicted: ['127.0.0.1:8080/about'],
      status: 200,
    });
    expect(cacheStatus.judge(input(other, deployB, html(5000, 'HIT', '1'))).verdict).toBe('fail');
  });
});

/** A deploy and an HTML probe, for the histories stampedInput stamps 10 ms apart (test/check-history.ts). */
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

describe('cache-status', () => {
  it("passes the document's expectations: MISS then HIT, MISS Age 0 after deploy, static HIT on repeat, HTML-only purge", () => {
    const r = cacheStatus.judge(
      stampedInput(
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
    const r = cacheStatus.judge(stampedInput(deployed('A'), probe('p1', '/', 'MISS'), deployed('B'), probe('p2', '/', 'HIT', '12')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toContain('/ after deploy B: HIT with Age 12, expected MISS with Age 0');
  });

  it('fails when hashed static is purged (purge everything, or a /_next/static prefix)', () => {
    const all = cacheStatus.judge(
      stampedInput(probe('p', '/', 'MISS'), {
        type: 'purge',
        by: 'replace-in-place',
        request: { everything: true },
        evicted: ['http://127.0.0.1/_next/static/chunks/a.js?dpl=a-1|rsc=|prefetch=|segment=|dpl=a-1'],
      }),
    );
    expect(all.verdict).toBe('fail');
    expect(all.evidence[0]).toMatch(/replace-in-place purged hashed static assets \(purge_everything\): 1 hashed entry evicted/);
    const prefix = cacheStatus.judge(
      stampedInput(probe('p', '/', 'MISS'), { type: 'purge', by: 'x', request: { prefixes: ['127.0.0.1/_next/static/'] }, evicted: [] }),
    );
    expect(prefix.verdict).toBe('fail');
  });

  it('fails when a hashed static file is not a HIT on repeat (not cached)', () => {
    expect(
      cacheStatus.judge(stampedInput(asset('/_next/static/chunks/a.js', 200, 'MISS'), asset('/_next/static/chunks/a.js', 200, 'MISS')))
        .verdict,
    ).toBe('fail');
  });
});
