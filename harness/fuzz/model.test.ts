import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse.ts';
import { compile, fuzzSequence, type FuzzAction } from './model.ts';

const kinds = (a: FuzzAction[]) =>
  compile(a, 'fuzz-t').scenario.steps.map((s) =>
    'session' in s ? `${s.kind}:${s.session}` : 'version' in s ? `${s.kind}:${s.version}` : s.kind,
  );

describe('fuzz model: any action list compiles to a valid scenario', () => {
  it('drops what makes no sense at that point, and keeps the rest in order', () => {
    const { kept } = compile(
      [
        { do: 'rollback', version: 'A' }, // nothing deployed yet
        { do: 'lazyLoad', tab: 0 }, // no tab yet
        { do: 'deploy', version: 'A' },
        { do: 'deploy', version: 'A' }, // already current
        { do: 'open', router: 'app' },
        { do: 'rollback', version: 'B' }, // B never deployed
        { do: 'deploy', version: 'B' },
        { do: 'rollback', version: 'A' },
      ],
      'fuzz-t',
    );
    expect(kept).toEqual([
      { do: 'deploy', version: 'A' },
      { do: 'open', router: 'app' },
      { do: 'deploy', version: 'B' },
      { do: 'rollback', version: 'A' },
    ]);
  });

  it('ends with a lazy load on every tab still on its start page and a newcomer; a navigated tab does not lazy-load', () => {
    expect(
      kinds([
        { do: 'deploy', version: 'A' },
        { do: 'open', router: 'app' },
        { do: 'open', router: 'pages' },
        { do: 'navigate', tab: 1 },
        { do: 'lazyLoad', tab: 1 },
        { do: 'deploy', version: 'C' },
      ]),
    ).toEqual(['deploy:A', 'openSession:tab1', 'openSession:tab2', 'navigate:tab2', 'deploy:C', 'lazyLoad:tab1', 'openSession:newcomer']);
  });

  it('heals an injected fault after the next deploy or rollback, or at the end, and injects one at a time', () => {
    expect(
      kinds([
        { do: 'deploy', version: 'A' },
        { do: 'fault', fault: 'purge-late' },
        { do: 'fault', fault: 'origin-slow-start' },
        { do: 'deploy', version: 'B' },
        { do: 'fault', fault: 'storage-visible-late' },
      ]),
    ).toEqual(['deploy:A', 'inject', 'deploy:B', 'heal', 'inject', 'heal', 'openSession:newcomer']);
  });

  it('passes the scenario schema for 300 random sequences, each starting with a deploy and a tab', () => {
    fc.assert(
      fc.property(fuzzSequence(10), (actions) => {
        expect(actions[0]!.do).toBe('deploy');
        expect(actions[1]!.do).toBe('open');
        const { scenario } = compile(actions, 'fuzz-t');
        expect(() => parseScenario(scenario, 'fuzz')).not.toThrow();
        const injects = scenario.steps.filter((s) => s.kind === 'inject').length;
        expect(scenario.steps.filter((s) => s.kind === 'heal').length).toBe(injects);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('platform mode: a split sends traffic back to the version live before the newest; rollbacks and faults are dropped', () => {
    const { scenario, kept } = compile(
      [
        { do: 'deploy', version: 'A' },
        { do: 'open', router: 'app' },
        { do: 'split', percent: 50 },
        { do: 'rollback', version: 'A' },
        { do: 'deploy', version: 'B' },
        { do: 'fault', fault: 'purge-late' },
        { do: 'split', percent: 100 },
      ],
      'fuzz-p',
      { platform: true },
    );
    expect(scenario.platform).toBe(true);
    expect(scenario.checks).toContain('referenced-objects-kept');
    expect(scenario.steps.filter((s) => s.kind === 'split')).toEqual([{ kind: 'split', traffic: [{ version: 'A', percent: 100 }] }]);
    expect(kept.map((a) => a.do)).toEqual(['deploy', 'open', 'deploy', 'split']);
    expect(() => parseScenario(scenario, 'fuzz')).not.toThrow();
  });

  it('a release store drops splits, and its sequences hold no split; platform sequences hold no rollback or fault', () => {
    expect(
      compile(
        [
          { do: 'deploy', version: 'A' },
          { do: 'deploy', version: 'B' },
          { do: 'split', percent: 10 },
        ],
        'f',
      ).kept.map((a) => a.do),
    ).toEqual(['deploy', 'deploy']);
    fc.assert(
      fc.property(fuzzSequence(10), (actions) => !actions.some((a) => a.do === 'split')),
      { numRuns: 200, seed: 1 },
    );
    fc.assert(
      fc.property(fuzzSequence(10, true), (actions) => !actions.some((a) => a.do === 'rollback' || a.do === 'fault')),
      { numRuns: 200, seed: 1 },
    );
  });
});

describe('scenarioSlug', () => {
  it('makes a deployer file name a valid scenario name part', async () => {
    const { scenarioSlug } = await import('./fuzz.ts');
    expect(scenarioSlug('deploy.sh')).toBe('deploy-sh');
    expect(scenarioSlug('My Deploy_v2.TS')).toBe('my-deploy-v2-ts');
    expect(scenarioSlug('...')).toBe('deployer');
    expect(scenarioSlug('releases-symlink')).toBe('releases-symlink');
  });
});
