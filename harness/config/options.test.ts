import { describe, expect, it } from 'vitest';
import { resolveRunOptions } from './options.ts';

describe('resolveRunOptions', () => {
  it('uses defaults when nothing is set', () => {
    expect(resolveRunOptions({}, {})).toEqual({
      deployer: 'reference',
      bundler: 'auto',
      cdn: 'process',
      json: false,
      junit: '',
      app: '',
      trace: 'failing',
      control: false,
      seed: '',
      load: '',
    });
  });

  it('lets SKEW_* override defaults and flags override the environment', () => {
    expect(resolveRunOptions({}, { SKEW_CDN: 'container', SKEW_BUNDLER: 'webpack' })).toMatchObject({
      cdn: 'container',
      bundler: 'webpack',
    });
    expect(resolveRunOptions({ cdn: 'process' }, { SKEW_CDN: 'container' }).cdn).toBe('process');
    expect(resolveRunOptions({}, { SKEW_JSON: '1' }).json).toBe(true);
    expect(resolveRunOptions({}, { SKEW_TRACE: 'off' }).trace).toBe('off');
    expect(() => resolveRunOptions({ trace: 'always' }, {})).toThrow(/--trace = "always" is not valid/);
  });

  it('puts the config file between the defaults and the environment, and names the file and key of a bad value', () => {
    const file = { path: '/p/skew.config.ts', values: { cdn: 'container', deployer: './deploy.sh' } };
    expect(resolveRunOptions({}, {}, file)).toMatchObject({ cdn: 'container', deployer: './deploy.sh', bundler: 'auto' });
    expect(resolveRunOptions({}, { SKEW_CDN: 'process' }, file).cdn).toBe('process');
    expect(() => resolveRunOptions({}, {}, { path: '/p/skew.config.ts', values: { bundler: 'vite' } })).toThrow(
      /\/p\/skew\.config\.ts: bundler = "vite" is not valid/,
    );
  });

  it('names the source and the allowed values of a bad value', () => {
    expect(() => resolveRunOptions({}, { SKEW_CDN: 'cloud' })).toThrow(/\$SKEW_CDN = "cloud" is not valid/);
    expect(() => resolveRunOptions({ deployer: 'nope' }, {})).toThrow(/--deployer = "nope".*releases-symlink, replace-in-place/);
    expect(resolveRunOptions({ deployer: './deploy.sh' }, {}).deployer).toBe('./deploy.sh');
  });
});
