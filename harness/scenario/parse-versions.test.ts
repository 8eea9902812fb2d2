import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse.ts';

/** A valid two-version scenario whose one openSession step gets `extra`. */
const scenario = (extra: Record<string, unknown>) => ({
  name: 'x',
  title: 't',
  description: 'd',
  source: 's',
  versions: ['A', 'B'],
  checks: ['new-sessions-current'],
  reference: { good: 'releases-symlink', broken: [] },
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 's', path: '/', ...extra },
  ],
});

/** The problems parseScenario lists, or [] when it accepts. */
function problems(input: unknown): string[] {
  try {
    parseScenario(input, 'scenarios/x');
    return [];
  } catch (e) {
    return (e as { details: string[] }).details;
  }
}

describe('parseScenario: versions named by pin and mustSee', () => {
  it('accepts pin and mustSee naming declared versions, and keeps them', () => {
    expect(problems(scenario({ pin: 'A' }))).toEqual([]);
    expect(problems(scenario({ mustSee: 'B' }))).toEqual([]);
    expect(parseScenario(scenario({ mustSee: 'B' })).steps[1]).toMatchObject({ kind: 'openSession', mustSee: 'B' });
  });

  it('rejects a mustSee naming a version the scenario does not build', () => {
    expect(problems(scenario({ mustSee: 'C' }))).toEqual(['step "openSession" mustSee C: version not in versions [A, B]']);
  });

  it('rejects a pin naming a version the scenario does not build', () => {
    expect(problems(scenario({ pin: 'Z' }))).toEqual(['step "openSession" pin Z: version not in versions [A, B]']);
  });

  it('names both when pin and mustSee are both wrong', () => {
    expect(problems(scenario({ pin: 'C', mustSee: 'D' }))).toEqual([
      'step "openSession" pin C: version not in versions [A, B]',
      'step "openSession" mustSee D: version not in versions [A, B]',
    ]);
  });
});
