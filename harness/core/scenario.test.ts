import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseScenario, type Vocabulary, worldsOf } from './scenario.ts';

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

function problems(input: unknown): string[] {
  try {
    parseScenario(input, vocabulary, 'scenarios/x');
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
});
