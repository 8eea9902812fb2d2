import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getScenario } from '../../scenarios/index.ts';
import { asset, fakeBuild } from '../../test/check-history.ts';
import { tempDirs } from '../../test/temp-dirs.ts';
import type { Stamped } from '../core/history.ts';
import { isHarnessError } from '../errors/harness-error.ts';
import { RUN_FILES, writeEvidence } from './evidence.ts';
import { type Judged, judge } from './judge.ts';
import { rejudgeRun } from './rejudge.ts';

const temp = tempDirs();

/** A run folder as `skew run` leaves it: history, report and judge.json, with a 404 among A's assets. */
async function storedRun(): Promise<{ dir: string; report: ReturnType<typeof judge> }> {
  const dir = temp('skew-rejudge-');
  const events = Array.from({ length: 30 }, (_, i) => ({
    t: i * 10,
    ...asset(`/_next/static/chunks/${i}.js`, i === 12 ? 404 : 200, 'HIT'),
  })) as Stamped[];
  const judged: Omit<Judged, 'events'> = {
    scenario: getScenario('roll-forward'),
    deployer: { name: 'replace-in-place', reference: 'broken' },
    cdn: 'process',
    world: 'pinned',
    bundler: 'turbopack',
    builds: { A: fakeBuild('A'), B: fakeBuild('B') },
    played: { stepErrors: [], traces: {} },
    startedAt: new Date('2026-12-07T10:00:00Z'),
    runDir: dir,
    rerun: 'npx skew run roll-forward --deployer replace-in-place',
    seed: 7,
  };
  const report = judge({ ...judged, events });
  await writeEvidence(dir, events, report, RUN_FILES, judged);
  return { dir, report };
}

describe('skew judge: a stored run judged again', () => {
  it('gives the verdicts the run gave, from its folder alone', async () => {
    const { dir, report } = await storedRun();
    const again = await rejudgeRun(dir);
    expect(again.changed).toEqual([]);
    expect(again.report.verdict).toBe(report.verdict);
    expect(again.report.checks.map((c) => [c.check, c.verdict])).toEqual(report.checks.map((c) => [c.check, c.verdict]));
    expect(checkOf(again.report, 'old-assets-survive').witness?.events).toHaveLength(1);
  });

  it('says what changed when the checks judge differently than they did (a check changed since)', async () => {
    const { dir } = await storedRun();
    // As if yesterday's old-assets-survive had passed this history.
    const stored = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReturnType<typeof judge>;
    checkOf(stored, 'old-assets-survive').verdict = 'pass';
    writeFileSync(join(dir, 'report.json'), JSON.stringify(stored));
    expect((await rejudgeRun(dir)).changed).toContain('old-assets-survive: pass → fail');
  });

  it('refuses a folder that is not a run, with a code and a hint', async () => {
    const e = await rejudgeRun(temp('skew-not-a-run-')).catch((x: unknown) => x);
    expect(isHarnessError(e) && e.code).toBe('INVALID_RUN_FOLDER');
  });
});

function checkOf(r: ReturnType<typeof judge>, name: string) {
  const c = r.checks.find((x) => x.check === name);
  if (!c) throw new Error(`no ${name} in ${r.checks.map((x) => x.check).join(', ')}`);
  return c;
}
