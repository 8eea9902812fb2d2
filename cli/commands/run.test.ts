import { describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../harness/run/report.ts';
import { summary } from './run.ts';

describe('skew run summary', () => {
  it("puts a report's headline right under the verdict, before the deployer line and the checks", () => {
    const report: ScenarioReport = {
      schemaVersion: 1,
      scenario: 'roll-forward',
      title: 'Roll forward A → B',
      deployer: 'deploy.sh',
      deployerReference: 'external',
      headline: 'nothing went live: the deployer exited 0 for deploy A, …',
      cdn: 'process',
      bundler: 'turbopack',
      verdict: 'fail',
      checks: [{ check: 'content-renders', verdict: 'fail', evidence: ['page content is gone'] }],
      versions: {},
      startedAt: new Date(0).toISOString(),
      durationMs: 1000,
      runDir: '/r',
      rerun: 'npx skew run roll-forward',
    };
    expect(summary(report).split('\n').slice(0, 2)).toEqual([
      'FAIL  roll-forward — Roll forward A → B',
      '      nothing went live: the deployer exited 0 for deploy A, …',
    ]);
  });
});
