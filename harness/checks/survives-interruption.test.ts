import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import type { CheckInput } from './check.ts';
import { survivesInterruption } from './survives-interruption.ts';

const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
const at = (t: number, e: HistoryEvent) => ({ t, ...e }) as Stamped;
const input = (...events: Stamped[]): CheckInput => ({ events, versions });

type Deployer = Extract<HistoryEvent, { type: 'deployer' }>;
/** A deployer action recorded at its end `t`, having run `ms` before. */
const action = (t: number, ms: number, extra: Partial<Deployer> = {}) =>
  at(t, { type: 'deployer', deployer: 'd', action: 'deploy', version: 'B', deploymentId: 'b-2', ok: true, ms, ...extra });
/** The deploy of B killed by storage-kill-after at 3000 ms. */
const KILLED = action(3000, 1000, { ok: false, interrupted: true, error: 'fault storage-kill-after (60 files)' });
const WHAT = 'deploy B killed (fault storage-kill-after (60 files))';

const chunk404 = (t: number) =>
  at(t, {
    type: 'response',
    session: 's1',
    url: 'http://127.0.0.1:8080/_next/static/chunks/x.js',
    resource: 'script',
    status: 404,
    cache: 'MISS',
    age: null,
    deployment: null,
  });
const pageError = (t: number) => at(t, { type: 'pageerror', session: 's2', message: 'ChunkLoadError: Loading chunk 7 failed.' });
const missing = (t: number) =>
  at(t, { type: 'action', session: 's3', action: 'click', target: 'lazy', outcome: 'missing', version: 'A', waitedMs: 100 });
const probe = (t: number, status: number) =>
  at(t, { type: 'probe', label: 'after-kill', url: 'http://127.0.0.1:8080/about', status, cache: 'MISS', age: '0', deployment: 'b-2' });

describe('survives-interruption', () => {
  it('is inconclusive when no deployer action was interrupted (a plain failed deploy does not count)', () => {
    const r = survivesInterruption.judge(input(action(3000, 1000), action(5000, 1000, { ok: false, error: 'boom' }), chunk404(5500)));
    expect(r.verdict).toBe('inconclusive');
    expect(r.evidence[0]).toContain('no deployer action was killed');
  });

  it('passes when nothing broke between the kill and the next action and the rerun succeeded', () => {
    // A problem before the kill, and one exactly at its end, are not "after the kill".
    const r = survivesInterruption.judge(input(chunk404(2500), KILLED, probe(3000, 500), probe(3500, 200), action(6000, 2000)));
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toEqual([`${WHAT}: the stack stayed consistent (everything asked for answered), and the rerun completed it`]);
  });

  it('passes without the rerun clause when nothing broke and no rerun followed', () => {
    const r = survivesInterruption.judge(input(KILLED, probe(3500, 200)));
    expect(r).toEqual({ verdict: 'pass', evidence: [`${WHAT}: the stack stayed consistent (everything asked for answered)`] });
  });

  it.each([
    ['a session 404 under /_next/', chunk404(4000), 'session s1: 404 /_next/static/chunks/x.js'],
    ['a page error', pageError(4000), 'session s2: ChunkLoadError: Loading chunk 7 failed.'],
    ['an action outcome missing', missing(4000), 'session s3: click lazy → missing'],
    ['a probe answering 404', probe(4000, 404), 'probe after-kill: 404 http://127.0.0.1:8080/about'],
  ])('passes as repaired after %s between the kill and an ok rerun, with nothing after it', (_what, problem, line) => {
    const r = survivesInterruption.judge(input(KILLED, problem, action(6000, 1500), probe(6500, 200)));
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toEqual([`${WHAT}: the stack was inconsistent until the rerun (1 problem(s), e.g. ${line}); the rerun repaired it`]);
  });

  it('does not count a 404 outside /_next/ for a non-document, nor a probe below 400, nor an ok action', () => {
    const image = at(4000, {
      type: 'response',
      session: 's1',
      url: 'http://127.0.0.1:8080/favicon.ico',
      resource: 'image',
      status: 404,
      cache: null,
      age: null,
      deployment: null,
    });
    const okAction = at(4100, {
      type: 'action',
      session: 's3',
      action: 'click',
      target: 'lazy',
      outcome: 'ok',
      version: 'B',
      waitedMs: 10,
    });
    const r = survivesInterruption.judge(input(KILLED, image, okAction, probe(4200, 399)));
    expect(r.verdict).toBe('pass');
    expect(r.evidence[0]).toContain('stayed consistent');
    // …but a document 404 anywhere is counted.
    const doc = at(4000, {
      type: 'response',
      session: 's1',
      url: 'http://127.0.0.1:8080/about',
      resource: 'document',
      status: 404,
      cache: null,
      age: null,
      deployment: null,
    });
    expect(survivesInterruption.judge(input(KILLED, doc)).verdict).toBe('fail');
  });

  it('fails when problems continue after the ok rerun, listing those after the rerun', () => {
    const r = survivesInterruption.judge(input(KILLED, chunk404(4000), action(6000, 1500), probe(7000, 502)));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual([
      `${WHAT}: the stack was inconsistent after the rerun too`,
      '  probe after-kill: 502 http://127.0.0.1:8080/about',
    ]);
  });

  it('fails when the stack looked fine until the rerun but broke after it', () => {
    const r = survivesInterruption.judge(input(KILLED, action(6000, 1500), pageError(7000)));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe(`${WHAT}: the stack was inconsistent after the rerun too`);
  });

  it('fails when the rerun failed, even if nothing broke, listing what broke after the kill', () => {
    const clean = survivesInterruption.judge(input(KILLED, action(6000, 1500, { ok: false, error: 'rsync: no space left' })));
    expect(clean.verdict).toBe('fail');
    expect(clean.evidence).toEqual([
      `${WHAT}: its rerun failed: rsync: no space left — the deployer cannot finish after being interrupted`,
    ]);
    const broken = survivesInterruption.judge(input(KILLED, chunk404(4000), action(6000, 1500, { ok: false })));
    expect(broken.verdict).toBe('fail');
    expect(broken.evidence).toEqual([
      `${WHAT}: its rerun failed: no reason — the deployer cannot finish after being interrupted`,
      '  after the kill: session s1: 404 /_next/static/chunks/x.js',
    ]);
  });

  it('fails when the rerun was refused, saying so', () => {
    const r = survivesInterruption.judge(input(KILLED, action(6000, 100, { ok: false, refused: 'release b-2 already exists' })));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe(
      `${WHAT}: its rerun refused: release b-2 already exists — the deployer cannot finish after being interrupted`,
    );
  });

  it('fails when the stack broke after the kill and no rerun followed', () => {
    const r = survivesInterruption.judge(input(KILLED, chunk404(4000), missing(5000)));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual([
      `${WHAT}: the stack was inconsistent afterwards and no rerun followed`,
      '  session s1: 404 /_next/static/chunks/x.js',
      '  session s3: click lazy → missing',
    ]);
  });

  it('takes only the same action of the same version as the rerun', () => {
    // A rollback to A, or a deploy of A, after the kill is no rerun of "deploy B".
    const rollback = action(6000, 1500, { action: 'rollback', version: 'A', deploymentId: 'a-1' });
    const r = survivesInterruption.judge(input(KILLED, chunk404(4000), rollback));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toContain('no rerun followed');
    const deployA = action(6000, 1500, { version: 'A', deploymentId: 'a-1' });
    expect(survivesInterruption.judge(input(KILLED, chunk404(4000), deployA)).evidence[0]).toContain('no rerun followed');
  });

  it('does not count problems after a later unrelated action in the window after the kill', () => {
    // Kill, then (clean) a cleanup, after which things break: not the interrupted deploy's fault.
    const cleanup = action(5000, 500, { action: 'cleanup', version: 'A', deploymentId: 'a-1' });
    const r = survivesInterruption.judge(input(KILLED, probe(4000, 200), cleanup, chunk404(5500), pageError(6000)));
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toEqual([`${WHAT}: the stack stayed consistent (everything asked for answered)`]);
    // The same problems before the cleanup ended fail it (negative control).
    const before = survivesInterruption.judge(input(KILLED, chunk404(4500), cleanup));
    expect(before.verdict).toBe('fail');
  });

  it('judges the window after an ok rerun only until the next action', () => {
    const r = survivesInterruption.judge(
      input(
        KILLED,
        chunk404(4000),
        action(6000, 1500),
        action(8000, 500, { action: 'cleanup', version: 'A', deploymentId: 'a-1' }),
        probe(9000, 500),
      ),
    );
    expect(r.verdict).toBe('pass');
    expect(r.evidence[0]).toContain('the rerun repaired it');
  });

  it('caps the listed problems at ten, counting the rest', () => {
    const many = Array.from({ length: 13 }, (_, i) => probe(4000 + i, 500));
    const r = survivesInterruption.judge(input(KILLED, ...many));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toHaveLength(12);
    expect(r.evidence.at(-1)).toBe('… and 3 more');
  });

  it('judges every killed action: one repaired and one not fails the check', () => {
    const killedA = action(10_000, 1000, { version: 'A', deploymentId: 'a-1', ok: false, interrupted: true });
    const r = survivesInterruption.judge(input(KILLED, chunk404(4000), action(6000, 1500), killedA, pageError(11_000)));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toContain('the rerun repaired it');
    expect(r.evidence[1]).toBe('deploy A killed (by a fault): the stack was inconsistent afterwards and no rerun followed');
  });

  it('leaves out what the app failed on before the action (the image optimizer cannot reach an outside host here), and only that', () => {
    const image = (t: number, url = 'https://images.example.com/a.jpg') =>
      at(t, {
        type: 'response',
        session: 's1',
        url: `http://127.0.0.1:8080/_next/image?url=${encodeURIComponent(url)}&w=640&q=75`,
        resource: 'image',
        status: 500,
        cache: 'MISS',
        age: null,
        deployment: null,
      });
    expect(survivesInterruption.judge(input(image(1000), KILLED, image(4000), probe(4500, 200))).verdict).toBe('pass');
    // Negative controls: an image that failed only after the kill, and a chunk 404 beside an own failure.
    expect(survivesInterruption.judge(input(image(1000), KILLED, image(4000, 'https://images.example.com/b.jpg'))).verdict).toBe('fail');
    expect(survivesInterruption.judge(input(image(1000), KILLED, image(4000), chunk404(4100))).verdict).toBe('fail');
  });
});
