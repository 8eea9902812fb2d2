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
