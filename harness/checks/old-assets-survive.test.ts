import { describe, expect, it } from 'vitest';
import { asset, input } from '../../test/check-history.ts';
import { oldAssetsSurvive } from './old-assets-survive.ts';

describe('old-assets-survive', () => {
  it('fails listing each missing URL, passes when all answer 200', () => {
    const bad = oldAssetsSurvive.judge(
      input(asset('/_next/static/chunks/a.js', 200, 'HIT'), asset('/_next/static/chunks/b.js?dpl=a-1', 404, 'MISS')),
    );
    expect(bad.verdict).toBe('fail');
    expect(bad.evidence.join('\n')).toContain('404 /_next/static/chunks/b.js?dpl=a-1');
    expect(oldAssetsSurvive.judge(input(asset('/_next/static/chunks/a.js', 200, 'MISS'))).verdict).toBe('pass');
    expect(oldAssetsSurvive.judge(input()).verdict).toBe('inconclusive');
  });
});
