import { describe, expect, it } from 'vitest';
import { input, open } from '../../test/check-history.ts';
import { noHardReload } from './no-hard-reload.ts';

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
