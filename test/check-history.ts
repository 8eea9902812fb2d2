import type { Build } from '../harness/builds/types.ts';
import type { CheckInput } from '../harness/checks/check.ts';
import type { HistoryEvent, Stamped } from '../harness/core/history.ts';

/** Test support for the checks' colocated tests: two versions, a history of events 10 ms apart, and the events shared between them. */

export const versions = { A: { buildId: 'a-1', deploymentId: 'a-1' }, B: { buildId: 'b-2', deploymentId: 'b-2' } };
export const input = (...events: HistoryEvent[]): CheckInput => ({
  events: events.map((e, i) => ({ t: i * 10, ...e }) as Stamped),
  versions,
});

export const open = (session: string, version = 'A', expectVersion?: string): HistoryEvent => ({
  type: 'session-open',
  session,
  url: 'http://127.0.0.1:1/',
  version,
  deploymentId: null,
  ...(expectVersion ? { expectVersion } : {}),
});
export const asset = (url: string, status: number, cache: string, version = 'A'): HistoryEvent => ({
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

/** A build record as the run's judgement needs it (no files behind it): its ids and Next version. */
export const fakeBuild = (variant: string): Build =>
  ({
    key: variant,
    variant,
    deploymentId: `${variant.toLowerCase()}-1`,
    buildId: `${variant.toLowerCase()}-1`,
    nextVersion: '16.4.3',
    assets: [],
  }) as unknown as Build;
