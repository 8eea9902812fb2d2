import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../scenarios/index.ts';
import { parseScenario } from './parse.ts';

describe('parseScenario', () => {
  it('accepts the catalogue', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(2);
  });

  it('names every problem: unknown step kind, missing field, unknown check, undeclared version', () => {
    const bad = {
      name: 'x',
      title: 't',
      description: 'd',
      source: 's',
      versions: ['A'],
      checks: ['no-such-check'],
      reference: { good: 'g', broken: [] },
      steps: [{ kind: 'teleport' }, { kind: 'navigate', session: 's' }, { kind: 'deploy', version: 'B' }],
    };
    try {
      parseScenario(bad, 'scenarios/x');
      expect.unreachable();
    } catch (e) {
      const details = (e as { details: string[] }).details.join('\n');
      expect(details).toContain('steps[0]: unknown kind "teleport"');
      expect(details).toMatch(/steps\[1\] \(navigate\) link/);
      expect(details).toContain('unknown check "no-such-check"');
      expect(details).toContain('step "deploy B": version not in versions [A]');
    }
  });
});
