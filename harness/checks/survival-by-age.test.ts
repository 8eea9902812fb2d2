import { describe, expect, it } from 'vitest';
import type { HistoryEvent, Stamped } from '../core/history.ts';
import type { CheckInput } from './check.ts';
import { survivalByAge } from './survival-by-age.ts';

const versions = {
  A: { buildId: 'a-1', deploymentId: 'a-1' },
  B: { buildId: 'b-2', deploymentId: 'b-2' },
  C: { buildId: 'c-3', deploymentId: 'c-3' },
};
const input = (events: HistoryEvent[], assetRetention = '2'): CheckInput => ({
  events: events.map((e, i) => ({ t: i * 10, ...e }) as Stamped),
  versions,
  deployerOptions: { assetRetention },
});
const deploy = (v: string): HistoryEvent => ({
  type: 'deployer',
  deployer: 'd',
  action: 'deploy',
  version: v,
  deploymentId: versions[v as 'A'].deploymentId,
  ok: true,
  ms: 1,
});
const open = (s: string, v: 'A' | 'B' | 'C'): HistoryEvent => ({
  type: 'session-open',
  session: s,
  url: 'http://127.0.0.1:1/legacy',
  version: v,
  deploymentId: versions[v].deploymentId,
});
const broke = (s: string): HistoryEvent => ({
  type: 'hard-reload',
  session: s,
  url: 'http://127.0.0.1:1/legacy/ssr',
  version: 'C',
  during: 'navigate link-ssr',
});

describe('survival-by-age', () => {
  it('fails when a session inside the window broke (negative control), with the table', () => {
    const r = survivalByAge.judge(
      input([deploy('A'), open('pages-a', 'A'), deploy('B'), open('pages-b', 'B'), deploy('C'), broke('pages-b')]),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe(
      'session pages-b on B (1 deploy(s) old, inside the window of 2) broke: hard reload during navigate link-ssr',
    );
    expect(r.evidence).toContain(
      'pages-a | A | 2 | no | no | kept working (its build-id folder is gone: the tab had it in memory, or the edge cache still held it)',
    );
  });

  it('passes when only sessions older than the window broke', () => {
    const r = survivalByAge.judge(input([deploy('A'), open('pages-a', 'A'), deploy('B'), deploy('C'), broke('pages-a')]));
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toContain('pages-a | A | 2 | no | no | hard reload during navigate link-ssr');
  });

  const upload = (v: 'A' | 'B' | 'C'): HistoryEvent => ({
    type: 'bucket',
    after: `deploy ${v}`,
    uploaded: [`${versions[v].buildId}/_buildManifest.js`, `chunks/${v}.js`],
    deleted: [],
  });
  const gcDeletes = (v: 'A' | 'B' | 'C'): HistoryEvent => ({
    type: 'bucket',
    after: 'deploy C',
    uploaded: [],
    deleted: [`${versions[v].buildId}/_buildManifest.js`],
  });

  it('fails when a build inside the window lost its build-id folder, though its session kept working (the edge held it)', () => {
    // A window of 2 keeps B and C; a GC one build too small deleted B's folder.
    const r = survivalByAge.judge(
      input([
        deploy('A'),
        upload('A'),
        deploy('B'),
        upload('B'),
        open('pages-b', 'B'),
        deploy('C'),
        upload('C'),
        gcDeletes('A'),
        gcDeletes('B'),
      ]),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toMatch(/^build B \(1 deploy\(s\) old, inside the window of 2\) lost its build-id folder b-2\/ from the store/);
    expect(r.evidence.filter((e) => e.startsWith('build '))).toHaveLength(1);
  });

  it('passes when the GC deleted only the build-id folders outside the window', () => {
    const r = survivalByAge.judge(
      input([deploy('A'), upload('A'), deploy('B'), upload('B'), open('pages-b', 'B'), deploy('C'), upload('C'), gcDeletes('A')]),
    );
    expect(r.verdict).toBe('pass');
  });
});
