import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.ts';
import { input, open } from '../../test/check-history.ts';
import { renderedVersion } from './rendered-version.ts';

const acted = (shown?: Record<string, string>): HistoryEvent => ({
  type: 'action',
  session: 's',
  action: 'refresh',
  target: 'refresh',
  outcome: 'ok',
  version: 'A',
  waitedMs: 10,
  ...(shown ? { shown } : {}),
});

describe('rendered-version', () => {
  it('passes when every part of the page is from one build', () => {
    const r = renderedVersion.judge(input(open('s'), acted({ page: 'A', tab: 'A' }), acted({ page: 'B', tab: 'B' })));
    expect(r.verdict).toBe('pass');
    expect(r.evidence[0]).toBe('2 action(s), each ended on one build (parts seen: page, tab)');
  });

  it('fails a page that shows two builds, naming the parts of each', () => {
    const r = renderedVersion.judge(input(open('s'), acted({ page: 'A', tab: 'A', 'action-form-result': 'B' })));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual(['session s: after refresh refresh the page mixes builds: A (page, tab) and B (action-form-result)']);
  });

  it('names a foreign part where it first shows, not again on each later action that still shows it', () => {
    const r = renderedVersion.judge(
      input(
        open('s'),
        acted({ page: 'A', tab: 'A', 'app-pinned': 'B' }),
        acted({ page: 'A', tab: 'A', 'app-pinned': 'B' }),
        acted({ page: 'A', tab: 'A', 'app-pinned': 'B', 'pages-pinned': 'B' }),
      ),
    );
    expect(r.evidence).toEqual([
      'session s: after refresh refresh the page mixes builds: A (page, tab) and B (app-pinned)',
      'session s: after refresh refresh the page mixes builds: A (page, tab) and B (app-pinned, pages-pinned)',
    ]);
  });

  it('is inconclusive when no page marks its parts', () =>
    expect(renderedVersion.judge(input(open('s'), acted())).verdict).toBe('inconclusive'));
});
