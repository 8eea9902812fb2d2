import { describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../harness/run/report.ts';
import { runCommand, summary } from './run.ts';

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

describe('skew run: what applies to the deployer', () => {
  const io = { env: {}, cwd: process.cwd(), out: () => {}, err: () => {}, isTTY: false };

  it('a platform scenario named for a deployer without a platform side is refused before anything starts', async () => {
    await expect(runCommand(io, ['roll-forward', 'rolling-canary'], { deployer: 'releases-symlink' })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'rolling-canary is not for releases-symlink, a deployer without a platform side',
    });
  });

  it('and a release-store scenario for a platform deployer', async () => {
    await expect(runCommand(io, ['roll-forward'], { deployer: 'additive-gc' })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'roll-forward is not for additive-gc, a platform deployer (no release store)',
    });
  });
});

describe('skew run --plan', () => {
  it('starts nothing and says what would run with which deployer, and why the rest would not', async () => {
    const out: string[] = [];
    const io = { env: {}, cwd: process.cwd(), out: (t: string) => void out.push(t), err: () => {}, isTTY: false };
    expect(await runCommand(io, [], { plan: true, deployer: 'releases-symlink', json: true })).toBe(0);
    const plan = JSON.parse(out.join('')) as { run: { name: string; deployer: string }[]; skipped: { name: string; why: string }[] };
    expect(plan.run.find((r) => r.name === 'roll-forward')).toEqual({
      name: 'roll-forward',
      title: expect.any(String),
      deployer: 'releases-symlink',
    });
    expect(plan.skipped).toContainEqual({ name: 'rolling-canary', why: 'not for releases-symlink, a deployer without a platform side' });
    expect(plan.run.some((r) => r.name === 'rolling-canary')).toBe(false);
  });
});
