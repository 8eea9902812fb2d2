import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defaultDeployerOf,
  deploymentIdsOf,
  parseScenario,
  referenceDeployers,
  referencesIn,
  type Vocabulary,
  worldsOf,
} from './scenario.ts';

/** A vocabulary of the test's own: the core validates against what it is handed, nothing else. */
const go = z.object({ kind: z.literal('go'), version: z.string() });
const wait = z.object({ kind: z.literal('wait'), ms: z.number().int().min(0) });
type TestStep = z.infer<typeof go> | z.infer<typeof wait>;
const vocabulary: Vocabulary<TestStep> = {
  steps: [
    { kind: 'go', schema: go },
    { kind: 'wait', schema: wait },
  ],
  checks: ['looks-fine'],
};

const base = {
  name: 'x',
  title: 't',
  description: 'd',
  source: 's',
  versions: ['A', 'B'],
  checks: ['looks-fine'],
  reference: { good: 'g', broken: [] },
};

/** A vocabulary that knows the two checks a `recovering` reference needs. */
const withRecovery: Vocabulary<TestStep> = { ...vocabulary, checks: ['looks-fine', 'no-hard-reload', 'recovers-by-navigation'] };
const judgingRecovery = { ...base, checks: ['no-hard-reload', 'recovers-by-navigation'] };

function problems(input: unknown, v: Vocabulary<TestStep> = vocabulary): string[] {
  try {
    parseScenario(input, v, 'scenarios/x');
    return [];
  } catch (e) {
    return (e as { details: string[] }).details;
  }
}

describe('parseScenario (core, with a vocabulary handed in)', () => {
  it("accepts the vocabulary's step kinds and checks, and returns the steps its schemas parsed", () => {
    const s = parseScenario(
      {
        ...base,
        steps: [
          { kind: 'go', version: 'B' },
          { kind: 'wait', ms: 5 },
        ],
      },
      vocabulary,
    );
    expect(s.steps).toEqual([
      { kind: 'go', version: 'B' },
      { kind: 'wait', ms: 5 },
    ]);
  });

  it('knows no step kind or check it was not handed', () => {
    expect(problems({ ...base, checks: ['no-chunk-load-error'], steps: [{ kind: 'deploy', version: 'A' }] })).toEqual([
      'steps[0]: unknown kind "deploy" (known: go, wait)',
      'checks: unknown check "no-chunk-load-error" (known: looks-fine)',
    ]);
  });

  it("names each step's schema problem and each version the scenario does not build", () => {
    expect(
      problems({
        ...base,
        steps: [
          { kind: 'wait', ms: -1 },
          { kind: 'go', version: 'C' },
        ],
      }),
    ).toEqual(['steps[0] (wait) ms: Too small: expected number to be >=0', 'step "go C": version not in versions [A, B]']);
  });

  it('rejects a broken reference failing a check the scenario does not judge', () => {
    expect(
      problems({ ...base, steps: [{ kind: 'wait', ms: 0 }], reference: { good: 'g', broken: [{ deployer: 'b', fails: ['other'] }] } }),
    ).toEqual(['reference.broken b: fails "other", which is not among the scenario\'s checks']);
  });

  it('takes the worlds a scenario applies to, pinned by default; a platform scenario is pinned only', () => {
    const steps = [{ kind: 'wait', ms: 0 }];
    expect(worldsOf(parseScenario({ ...base, steps }, vocabulary))).toEqual(['pinned']);
    expect(parseScenario({ ...base, steps, worlds: ['pinned', 'single-origin'] }, vocabulary).worlds).toEqual(['pinned', 'single-origin']);
    expect(problems({ ...base, steps, worlds: ['vps'] })[0]).toMatch(/^worlds\.0: /);
    expect(problems({ ...base, steps, worlds: ['pinned', 'pinned'] })).toEqual(['worlds: each world once']);
    expect(problems({ ...base, steps, platform: true, worlds: ['single-origin'] })).toEqual([
      'worlds: a platform scenario (platform: true) runs in the pinned world only: its revisions are pinned by deployment id',
    ]);
  });

  it('takes the deployment-id modes it applies to (on by default), and references for builds without one', () => {
    const steps = [{ kind: 'wait', ms: 0 }];
    const s = parseScenario(
      {
        ...judgingRecovery,
        steps,
        worlds: ['pinned', 'single-origin'],
        deploymentIds: ['on', 'off'],
        reference: {
          good: 'g',
          broken: [],
          worlds: { 'single-origin': { good: 'own', broken: [] } },
          withoutDeploymentId: { pinned: { recovering: ['g'], broken: [] } },
        },
      },
      withRecovery,
    );
    expect(deploymentIdsOf(parseScenario({ ...base, steps }, vocabulary))).toEqual(['on']);
    expect(referencesIn(s, 'pinned', 'on')).toEqual({ good: 'g', broken: [] });
    expect(referencesIn(s, 'pinned', 'off')).toEqual({ recovering: ['g'], broken: [] });
    // A world without its own references for builds without an id falls back to the world's.
    expect(referencesIn(s, 'single-origin', 'off')).toEqual({ good: 'own', broken: [] });
    expect(defaultDeployerOf(referencesIn(s, 'pinned', 'off'))).toBe('g');
    expect(referenceDeployers({ good: 'g', recovering: ['r'], broken: [{ deployer: 'b', fails: ['looks-fine'] }] })).toEqual([
      'g',
      'r',
      'b',
    ]);
  });

  it('refuses references for a mode or world the scenario does not run in, a place without a good or recovering deployer, and a platform without ids', () => {
    const steps = [{ kind: 'wait', ms: 0 }];
    expect(
      problems(
        {
          ...judgingRecovery,
          steps,
          reference: { good: 'g', broken: [], withoutDeploymentId: { 'single-origin': { recovering: ['g'], broken: [] } } },
        },
        withRecovery,
      ),
    ).toEqual([
      'reference.withoutDeploymentId.single-origin: the scenario does not apply to the single-origin world (worlds: pinned)',
      'reference.withoutDeploymentId: the scenario does not apply to builds without a deployment id (deploymentIds)',
    ]);
    expect(
      problems({
        ...base,
        steps,
        deploymentIds: ['on', 'off'],
        reference: { good: 'g', broken: [], withoutDeploymentId: { pinned: { broken: [] } } },
      }),
    ).toEqual([
      "reference.withoutDeploymentId.pinned.: name a good deployer, the ones whose users recover (recovering), or the world's limit (limit)",
    ]);
    // A limit stands for the good deployer where none can pass; broken ones still prove the checks.
    expect(
      problems({
        ...base,
        steps,
        deploymentIds: ['on', 'off'],
        reference: { good: 'g', broken: [], withoutDeploymentId: { pinned: { limit: 'nothing routes it', broken: [] } } },
      }),
    ).toEqual(['reference.withoutDeploymentId.pinned.limit: name at least one broken deployer, to prove the checks fire there']);
    expect(
      problems({
        ...base,
        steps,
        deploymentIds: ['on', 'off'],
        reference: {
          good: 'g',
          broken: [],
          withoutDeploymentId: { pinned: { limit: 'nothing routes it', good: 'g', broken: [{ deployer: 'b', fails: ['looks-fine'] }] } },
        },
      }),
    ).toEqual(['reference.withoutDeploymentId.pinned.limit: a place with a limit has no good deployer (drop good, or the limit)']);
    expect(problems({ ...base, steps, platform: true, deploymentIds: ['off'] })).toEqual([
      'deploymentIds: a platform scenario needs deployment ids: its routing, its store and its GC are keyed by them',
    ]);
  });
});
