import { describe, expect, it } from 'vitest';
import type { CheckResult, Verdict } from '../core/verdict.ts';
import { withControl } from './control-run.ts';
import type { ScenarioReport } from './report.ts';

const check = (name: string, verdict: Verdict, evidence = [`${name} ${verdict}`]): CheckResult => ({ check: name, verdict, evidence });
const report = (checks: CheckResult[], over: Partial<ScenarioReport> = {}): ScenarioReport => ({
  schemaVersion: 1,
  scenario: 's',
  title: 't',
  deployer: 'd',
  deployerReference: 'broken',
  cdn: 'process',
  bundler: 'turbopack',
  verdict: checks.some((c) => c.verdict === 'fail') ? 'fail' : 'pass',
  checks,
  versions: {},
  startedAt: '',
  durationMs: 1,
  runDir: '/runs/x',
  rerun: 'npx skew run s --seed 7',
  ...over,
});

describe('withControl (the A→A control beside the experiment)', () => {
  it("turns a failure the control shows too into inconclusive, naming the control's evidence", () => {
    const r = withControl(
      report([check('cache-status', 'fail'), check('new-sessions-current', 'pass')]),
      report([check('cache-status', 'fail', ['HIT with Age 2']), check('new-sessions-current', 'pass')], { runDir: '/runs/c' }),
    );
    expect(r.verdict).toBe('inconclusive');
    expect(r.checks[0]).toEqual({
      check: 'cache-status',
      verdict: 'inconclusive',
      evidence: ['the A→A control fails this check too, so this is noise, not skew (control: HIT with Age 2)', 'cache-status fail'],
    });
    expect(r.control).toEqual({
      verdict: 'fail',
      runDir: '/runs/c',
      checks: [
        { check: 'cache-status', verdict: 'fail' },
        { check: 'new-sessions-current', verdict: 'pass' },
      ],
    });
  });

  it('keeps a failure only the experiment shows (skew), so the verdict stays fail', () => {
    const r = withControl(
      report([check('cache-status', 'fail'), check('new-sessions-current', 'fail')]),
      report([check('cache-status', 'fail'), check('new-sessions-current', 'pass')]),
    );
    expect(r.verdict).toBe('fail');
    expect(r.checks.map((c) => c.verdict)).toEqual(['inconclusive', 'fail']);
  });

  it('changes nothing when the control passes, or fails only where the experiment passed', () => {
    const exp = report([check('a', 'fail'), check('b', 'pass'), check('c', 'inconclusive')]);
    const r = withControl(exp, report([check('a', 'pass'), check('b', 'fail'), check('c', 'fail')]));
    expect(r.checks).toEqual(exp.checks);
    expect(r.verdict).toBe('fail');
  });

  it('adds --control to the rerun command once', () => {
    const r = withControl(report([check('a', 'pass')]), report([check('a', 'pass')]));
    expect(r.rerun).toBe('npx skew run s --seed 7 --control');
    expect(withControl(r, report([check('a', 'pass')])).rerun).toBe('npx skew run s --seed 7 --control');
  });
});
