import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import type { CheckInput } from './check.ts';
import { buildIdPinning } from './build-id-pinning.ts';

const input = (versions: CheckInput['versions'], ...events: HistoryEvent[]): CheckInput => ({
  events: events.map((e, i) => ({ t: i * 10, ...e }) as Stamped),
  versions,
});
const ok = { A: { buildId: 'a-1', deploymentId: 'a-1' } };
const open: HistoryEvent = { type: 'session-open', session: 's', url: 'http://127.0.0.1:1/', version: 'A', deploymentId: 'a-1' };
const req = (path: string, pin?: string, rsc = false): HistoryEvent => ({
  type: 'request',
  session: 's',
  url: `http://127.0.0.1:1${path}`,
  resource: 'fetch',
  method: 'GET',
  ...(rsc ? { rsc: true as const } : {}),
  ...(pin ? { pin } : {}),
});

describe('build-id-pinning', () => {
  it('fails when Next uses a build id that is not the deployment id (the 16.2+ report), naming both (negative control)', () => {
    const r = buildIdPinning.judge(
      input({ A: { buildId: 'constant', deploymentId: 'a-1' } }, open, req('/_next/static/chunks/x.js', 'a-1')),
    );
    expect(r.evidence[0]).toBe(
      'version A: .next/BUILD_ID is "constant" but the deployment id is "a-1": the store prefix and the pin are different ids',
    );
  });

  it('fails when two builds share one BUILD_ID (an app without generateBuildId on Next 16), naming the shared manifest', () => {
    const shared = buildIdPinning.judge(
      input({ A: { buildId: 'build-Tfc', deploymentId: 'a-1' }, B: { buildId: 'build-Tfc', deploymentId: 'b-2' } }, open),
    );
    expect(shared.verdict).toBe('fail');
    expect(shared.evidence[0]).toBe(
      'versions A and B share BUILD_ID "build-Tfc" (the app sets no generateBuildId): both write _next/static/build-Tfc/_buildManifest.js, so a store or CDN that keeps both builds serves one build\'s manifest to the other\'s tabs',
    );
    const distinct = buildIdPinning.judge(
      input({ A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } }, open),
    );
    expect(distinct.evidence.join('\n')).not.toMatch(/share BUILD_ID/);
  });

  it('fails on an RSC request without the id, or pinned to another build', () => {
    expect(buildIdPinning.judge(input(ok, open, req('/about?_rsc=1', undefined, true))).evidence[0]).toContain(
      'RSC request /about?_rsc=1 carries no deployment id',
    );
    expect(buildIdPinning.judge(input(ok, open, req('/_next/data/a-1/x.json', 'b-2'))).evidence[0]).toBe(
      "session s (tab on A): request /_next/data/a-1/x.json carries b-2's id",
    );
  });

  it('passes when every asset, data and RSC request carries its build id', () => {
    expect(
      buildIdPinning.judge(input(ok, open, req('/_next/static/chunks/x.js?dpl=a-1', 'a-1'), req('/about?_rsc=1', 'a-1', true))).verdict,
    ).toBe('pass');
  });
});
