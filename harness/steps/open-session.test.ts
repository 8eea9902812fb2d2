import { describe, expect, it } from 'vitest';
import { openSession } from './open-session.ts';
import { stepKind } from './index.ts';

describe('openSession step schema: mustSee', () => {
  it('keeps mustSee (the schema is not strict: a field it did not declare would be dropped silently)', () => {
    const s = openSession.schema.parse({ kind: 'openSession', session: 'app-new', path: '/', mustSee: 'B' });
    expect(s).toEqual({ kind: 'openSession', session: 'app-new', path: '/', mustSee: 'B' });
    // The scenario parser finds the same schema by kind.
    expect(stepKind('openSession')?.schema.parse({ kind: 'openSession', session: 's', path: '/legacy', mustSee: 'A' })).toMatchObject({
      mustSee: 'A',
    });
  });

  it('rejects an empty or non-string mustSee', () => {
    for (const mustSee of ['', 2, null]) {
      expect(openSession.schema.safeParse({ kind: 'openSession', session: 's', path: '/', mustSee }).success, JSON.stringify(mustSee)).toBe(
        false,
      );
    }
  });

  it('says in its label which version the visitor must see', () => {
    expect(openSession.label({ kind: 'openSession', session: 'app-new', path: '/', mustSee: 'B' })).toBe('open app-new at / (must see B)');
    expect(openSession.label({ kind: 'openSession', session: 'app-new', path: '/' })).toBe('open app-new at /');
  });
});
