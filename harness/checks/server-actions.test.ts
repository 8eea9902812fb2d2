import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.ts';
import { input, open } from '../../test/check-history.ts';
import { serverActions } from './server-actions.ts';

const step = (index: number, label: string): HistoryEvent => ({ type: 'step', index, kind: 'serverAction', label, phase: 'start' });
const call = (session: string, via: string, shown: Record<string, string>, outcome: 'ok' | 'error-page' = 'ok'): HistoryEvent => ({
  type: 'action',
  session,
  action: `serverAction:${via}`,
  target: `action-${via}`,
  outcome,
  version: shown.page ?? null,
  waitedMs: 20,
  shown,
});

describe('server-actions', () => {
  it("passes when every call is answered by the tab's build", () => {
    const r = serverActions.judge(input(open('s'), step(0, 'form'), call('s', 'form', { page: 'A', tab: 'A', 'action-form-result': 'A' })));
    expect(r.verdict).toBe('pass');
  });

  it('fails an action the server did not know, with its status and message, and a tab that stopped working', () => {
    const r = serverActions.judge(
      input(
        open('s'),
        step(0, 'form'),
        { type: 'request', session: 's', url: 'http://h/actions', resource: 'fetch', method: 'POST', serverAction: '60ab' },
        {
          type: 'response',
          session: 's',
          url: 'http://h/actions',
          resource: 'fetch',
          status: 409,
          cache: null,
          age: null,
          deployment: null,
          actionNotFound: true,
        },
        {
          type: 'pageerror',
          session: 's',
          message: 'UnrecognizedActionError: Server Action "60ab" was not found on the server. \nRead more',
        },
        call('s', 'form', { page: 'A', tab: 'A' }, 'error-page'),
        step(1, 'form again'),
        call('s', 'form', {}, 'error-page'),
      ),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toBe(
      'session s: serverAction:form: the server did not know the action (409, x-nextjs-action-not-found: 1): "UnrecognizedActionError: Server Action "60ab" was not found on the server. "',
    );
    expect(r.evidence).toContain(
      'session s: serverAction:form: the tab stopped working after it (its next action, serverAction:form action-form, failed too)',
    );
    // The second call's own evidence does not repeat the first call's error message.
    expect(r.evidence.filter((l) => l.includes('did not know'))).toHaveLength(1);
  });

  it('fails a result another build computed (ids shared across builds), though nothing errored', () => {
    const r = serverActions.judge(
      input(open('s'), step(0, 'button'), call('s', 'button', { page: 'A', tab: 'A', 'action-button-result': 'B' })),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual([
      "session s: serverAction:button: the result came from build B, in a tab running A (another build's code ran the old tab's call)",
    ]);
  });

  it('is inconclusive when no action was called', () => expect(serverActions.judge(input(open('s'))).verdict).toBe('inconclusive'));
});
