import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../run/report.ts';
import type { RunOptions } from '../run/run-scenario.ts';
import { type FuzzOptions, runFuzz } from './fuzz.ts';
import { tempDirs } from '../../test/temp-dirs.ts';

/**
 * A model of replace-in-place instead of a real run: a tab opened while one build is live breaks
 * on its next action once another build is live (its chunks were deleted). The e2e tier runs
 * the same search and shrink against the real deployer (nightly: e2e/faults.spec.ts).
 */
function replaceInPlaceModel(calls: string[]) {
  return async (o: RunOptions): Promise<ScenarioReport> => {
    const steps = (typeof o.scenario === 'string' ? [] : o.scenario.steps) as { kind: string; session?: string; version?: string }[];
    calls.push(JSON.stringify(steps));
    let live: string | undefined;
    const openedOn = new Map<string, string | undefined>();
    let broke = false;
    for (const s of steps) {
      if (s.kind === 'deploy' || s.kind === 'rollback') live = s.version;
      else if (s.kind === 'openSession') openedOn.set(s.session!, live);
      else if (s.session && openedOn.has(s.session) && openedOn.get(s.session) !== live) broke = true;
    }
    const verdict = broke ? 'fail' : 'pass';
    return {
      verdict,
      checks: [{ check: 'no-chunk-load-error', verdict, evidence: broke ? ['chunk-load-error for /_next/static/chunks/x.js'] : [] }],
    } as unknown as ScenarioReport;
  };
}

const temp = tempDirs();

/** runFuzz with the settings every case shares, its runs and file in a fresh folder. */
function fuzz(o: Pick<FuzzOptions, 'deployer' | 'seed' | 'runs' | 'shrinkRuns' | 'maxActions' | 'run'>) {
  const dir = temp('skew-fuzz-');
  return runFuzz({ ...o, runsDir: dir, outDir: dir });
}

describe('skew fuzz: search, shrink within the budget, write the smallest failing sequence', () => {
  it('finds a failure, shrinks it to deploy → tab → deploy, and writes it with the deployer as its broken reference', async () => {
    const calls: string[] = [];
    const r = await fuzz({
      deployer: 'replace-in-place',
      seed: 11,
      runs: 10,
      shrinkRuns: 40,
      maxActions: 8,
      run: replaceInPlaceModel(calls),
    });
    expect(r.found).toBeDefined();
    const found = r.found!;
    expect(found.failing).toEqual(['no-chunk-load-error']);
    // Shrunk: no longer than what was found, and down to its core (fast-check removes the rest).
    expect(found.actions.length).toBeLessThanOrEqual(found.original.length);
    expect(found.actions.map((a) => a.do)).toEqual(['deploy', 'open', 'deploy']);
    expect(r.shrinkRuns).toBeGreaterThan(0);
    expect(r.shrinkRuns).toBeLessThanOrEqual(40);
    // Every distinct scenario ran once: the shrinker's repeats are answered from memory.
    expect(new Set(calls).size).toBe(calls.length);
    const written = JSON.parse(readFileSync(found.file, 'utf8')) as { name: string; reference: { broken: unknown[] } };
    expect(written.name).toBe('fuzz-replace-in-place-11');
    expect(written.reference.broken).toEqual([{ deployer: 'replace-in-place', fails: ['no-chunk-load-error'] }]);
  });

  it('spends no more real runs on shrinking than its budget', async () => {
    const calls: string[] = [];
    const r = await fuzz({
      deployer: 'replace-in-place',
      seed: 11,
      runs: 10,
      shrinkRuns: 2,
      maxActions: 8,
      run: replaceInPlaceModel(calls),
    });
    expect(r.shrinkRuns).toBe(2);
    expect(calls).toHaveLength(r.runs + 2);
    expect(r.found).toBeDefined();
  });

  it('a deployer that never fails: no file, every search run counted as a pass', async () => {
    const r = await fuzz({
      deployer: 'releases-symlink',
      seed: 3,
      runs: 4,
      shrinkRuns: 5,
      maxActions: 6,
      run: async () => ({ verdict: 'pass', checks: [] }) as unknown as ScenarioReport,
    });
    expect(r.found).toBeUndefined();
    expect(r.verdicts).toEqual({ pass: 4, fail: 0, inconclusive: 0 });
  });
});
