import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.ts';
import { input, open } from '../../test/check-history.ts';
import { noReloadLoop } from './no-reload-loop.ts';

const step = (index: number, label: string): HistoryEvent => ({ type: 'step', index, kind: 'navigate', label, phase: 'start' });
const reload = (url: string): HistoryEvent => ({ type: 'hard-reload', session: 's', url, version: 'B', during: 'navigate link-ssg-same' });

describe('no-reload-loop', () => {
  it('passes one full page load per action (a recovery)', () => {
    const r = noReloadLoop.judge(input(open('s'), step(0, 'a'), reload('http://h/x'), step(1, 'b'), reload('http://h/y')));
    expect(r.verdict).toBe('pass');
    expect(r.evidence[0]).toBe('1 session(s); 2 action(s) caused a full page load, none more than one');
  });

  it('fails an action that loaded the page again and again, naming the URLs', () => {
    const r = noReloadLoop.judge(input(open('s'), step(0, 'same URL'), reload('http://h/x'), reload('http://h/x'), reload('http://h/x')));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toEqual(['session s during step 1 (same URL): 3 document loads for one action (/x → /x → /x)']);
  });

  it('is inconclusive without sessions', () => expect(noReloadLoop.judge(input()).verdict).toBe('inconclusive'));
});
