import { describe, expect, it } from 'vitest';
import { resolveFuzzOptions, resolveRunOptions } from './options.ts';

describe('resolveRunOptions', () => {
  it('uses defaults when nothing is set', () => {
    expect(resolveRunOptions({}, {})).toEqual({
      deployer: 'reference',
      bundler: 'auto',
      cdn: 'process',
      world: 'pinned',
      deploymentId: 'on',
      json: false,
      junit: '',
      app: '',
      next: '',
      trace: 'failing',
      control: false,
      seed: '',
      load: '',
      workers: 'auto',
      shard: '',
      profile: false,
      deployerTimeout: 120,
    });
  });

  it('takes the deployer timeout in seconds from a flag, SKEW_DEPLOYER_TIMEOUT or the config file', () => {
    expect(resolveRunOptions({ deployerTimeout: '300' }, {}).deployerTimeout).toBe(300);
    expect(resolveRunOptions({}, { SKEW_DEPLOYER_TIMEOUT: '30' }).deployerTimeout).toBe(30);
    expect(resolveRunOptions({}, {}, { path: 'skew.config.ts', values: { deployerTimeout: 600 } }).deployerTimeout).toBe(600);
    expect(() => resolveRunOptions({ deployerTimeout: '0' }, {})).toThrow(/--deployer-timeout = "0" is not valid: at least 1 second/);
  });

  it('takes seed and load as numbers from a config file, as text from flags and the environment', () => {
    const file = { path: 'skew.config.ts', values: { seed: 42, load: 300 } };
    expect(resolveRunOptions({}, {}, file)).toMatchObject({ seed: '42', load: '300' });
    expect(resolveRunOptions({ seed: '7' }, { SKEW_LOAD: '5' }, file)).toMatchObject({ seed: '7', load: '5' });
    expect(() => resolveRunOptions({}, {}, { path: 'skew.config.ts', values: { load: 100_000 } })).toThrow(
      /skew.config.ts: load = 100000 is not valid: a whole number of clients/,
    );
    expect(() => resolveRunOptions({}, {}, { path: 'skew.config.ts', values: { seed: -1 } })).toThrow(
      /skew.config.ts: seed = -1 is not valid: a whole number/,
    );
  });

  it('takes workers as a number from a flag, SKEW_WORKERS or the config file, and refuses 0 or words', () => {
    expect(resolveRunOptions({ workers: '3' }, {}).workers).toBe(3);
    expect(resolveRunOptions({}, { SKEW_WORKERS: '2' }).workers).toBe(2);
    expect(resolveRunOptions({}, {}, { path: 'skew.config.ts', values: { workers: 4 } }).workers).toBe(4);
    expect(resolveRunOptions({}, { SKEW_WORKERS: 'auto' }).workers).toBe('auto');
    for (const bad of ['0', 'many', '1.5', '65']) expect(() => resolveRunOptions({ workers: bad }, {}), bad).toThrow(/--workers/);
  });

  it('lets SKEW_* override defaults and flags override the environment', () => {
    expect(resolveRunOptions({}, { SKEW_CDN: 'container', SKEW_BUNDLER: 'webpack' })).toMatchObject({
      cdn: 'container',
      bundler: 'webpack',
    });
    expect(resolveRunOptions({ cdn: 'process' }, { SKEW_CDN: 'container' }).cdn).toBe('process');
    expect(resolveRunOptions({}, { SKEW_JSON: '1' }).json).toBe(true);
    expect(resolveRunOptions({}, { SKEW_TRACE: 'off' }).trace).toBe('off');
    expect(resolveRunOptions({}, { SKEW_WORLD: 'single-origin' }).world).toBe('single-origin');
    expect(resolveRunOptions({}, { SKEW_DEPLOYMENT_ID_MODE: 'off' }).deploymentId).toBe('off');
    // The deployer contract's SKEW_DEPLOYMENT_ID (an id) is not this option.
    expect(resolveRunOptions({}, { SKEW_DEPLOYMENT_ID: 'a-1' }).deploymentId).toBe('on');
    expect(() => resolveRunOptions({ world: 'vps' }, {})).toThrow(/--world = "vps" is not valid: .*"pinned"\|"single-origin"/);
    expect(() => resolveRunOptions({ trace: 'always' }, {})).toThrow(/--trace = "always" is not valid/);
  });

  it('reads a boolean SKEW_* as yes (1, true, yes, on) or no (0, false, no, off), and refuses any other value naming the variable', () => {
    for (const yes of ['1', 'true', 'yes', 'on', 'YES', 'True'])
      expect(resolveRunOptions({}, { SKEW_CONTROL: yes }).control, yes).toBe(true);
    for (const no of ['0', 'false', 'no', 'off', 'Off']) expect(resolveRunOptions({}, { SKEW_PROFILE: no }).profile, no).toBe(false);
    expect(resolveRunOptions({}, { SKEW_JSON: 'on' }).json).toBe(true);
    for (const [name, bad] of [
      ['SKEW_JSON', 'maybe'],
      ['SKEW_CONTROL', 'y'],
      ['SKEW_PROFILE', '2'],
    ] as const) {
      expect(() => resolveRunOptions({}, { [name]: bad }), name).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTION',
          message: `$${name} = "${bad}" is not valid: a yes or a no`,
          hint: expect.stringContaining('1, true, yes, on (yes) or 0, false, no, off or empty (no)'),
        }),
      );
    }
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

describe('resolveFuzzOptions', () => {
  it('goes through the same layers as skew run: flags over SKEW_* over the config file over the defaults', () => {
    expect(resolveFuzzOptions({ deployer: 'replace-in-place' }, {})).toEqual({
      deployer: 'replace-in-place',
      cdn: 'process',
      seed: '',
      runs: 10,
      shrink: 15,
      maxActions: 8,
      out: 'fuzz',
      platform: false,
    });
    const file = { path: '/p/skew.config.ts', values: { deployer: './deploy.sh', runs: 3, cdn: 'container' } };
    expect(resolveFuzzOptions({ maxActions: '4' }, { SKEW_CDN: 'process', SKEW_SEED: '7' }, file)).toMatchObject({
      deployer: './deploy.sh',
      cdn: 'process',
      seed: '7',
      runs: 3,
      maxActions: 4,
    });
  });

  it('validates --cdn and the budgets as skew run does, naming the layer', () => {
    expect(() => resolveFuzzOptions({ deployer: 'replace-in-place', cdn: 'cloud' }, {})).toThrow(/--cdn = "cloud" is not valid/);
    expect(() => resolveFuzzOptions({ deployer: 'replace-in-place' }, { SKEW_CDN: 'cloud' })).toThrow(/\$SKEW_CDN = "cloud" is not valid/);
    expect(() => resolveFuzzOptions({ deployer: 'replace-in-place', maxActions: '51' }, {})).toThrow(/--max-actions = "51" is not valid/);
    expect(() => resolveFuzzOptions({ deployer: 'replace-in-place', runs: '1.5' }, {})).toThrow(/--runs = "1.5" is not valid/);
    expect(() => resolveFuzzOptions({ deployer: 'replace-in-place', seed: '2147483648' }, {})).toThrow(
      /--seed = "2147483648" is not valid/,
    );
  });

  it('needs a deployer: a fuzzed sequence has no reference deployer of its own', () => {
    expect(() => resolveFuzzOptions({}, {})).toThrow('skew fuzz needs --deployer');
    expect(resolveFuzzOptions({}, { SKEW_DEPLOYER: 'prune-on-upload' }).deployer).toBe('prune-on-upload');
  });
});
