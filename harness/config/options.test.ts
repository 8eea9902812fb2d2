import { describe, expect, it } from 'vitest';
import { resolveRunOptions } from './options.ts';

describe('resolveRunOptions', () => {
  it('uses defaults when nothing is set', () => {
    expect(resolveRunOptions({}, {})).toEqual({ deployer: 'reference', bundler: 'turbopack', cdn: 'process', json: false, junit: '' });
  });

  it('lets SKEW_* override defaults and flags override the environment', () => {
    expect(resolveRunOptions({}, { SKEW_CDN: 'container', SKEW_BUNDLER: 'webpack' })).toMatchObject({ cdn: 'container', bundler: 'webpack' });
    expect(resolveRunOptions({ cdn: 'process' }, { SKEW_CDN: 'container' }).cdn).toBe('process');
    expect(resolveRunOptions({}, { SKEW_JSON: '1' }).json).toBe(true);
  });

  it('names the source and the allowed values of a bad value', () => {
    expect(() => resolveRunOptions({}, { SKEW_CDN: 'cloud' })).toThrow(/\$SKEW_CDN = "cloud" is not valid/);
    expect(() => resolveRunOptions({ deployer: 'nope' }, {})).toThrow(/--deployer = "nope".*releases-symlink, replace-in-place/);
    expect(resolveRunOptions({ deployer: './deploy.sh' }, {}).deployer).toBe('./deploy.sh');
  });
});
