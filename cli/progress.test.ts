import { describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../harness/run/report.ts';
import type { Io } from './io.ts';
import { endSummary, WorkerLines } from './progress.ts';

function io(isTTY: boolean, env: Record<string, string> = {}): Io & { text: string } {
  const r = {
    text: '',
    env,
    cwd: '/',
    isTTY,
    out: (t: string) => {
      r.text += `<out>${t}`;
    },
    err: (t: string) => {
      r.text += t;
    },
  };
  return r;
}

const report = (scenario: string, verdict: ScenarioReport['verdict'], ms: number, checks: ScenarioReport['checks'] = []) =>
  ({ scenario, verdict, world: 'pinned', deployer: 'releases-symlink', durationMs: ms, checks }) as unknown as ScenarioReport;

describe('WorkerLines', () => {
  it('in a log (not a terminal, or CI), prints a line when a worker takes a scenario and nothing for its steps', () => {
    const log = io(false);
    const w = new WorkerLines(log, 2);
    w.start(1, 'roll-back with releases-symlink');
    w.set(1, 'roll-back [ 1.0s] step 1/25: deploy A');
    w.print('PASS  roll-back\n', 'out');
    w.done();
    expect(log.text).toBe('[w2] roll-back with releases-symlink\n<out>PASS  roll-back\n');
    const ci = io(true, { CI: 'true' });
    new WorkerLines(ci, 1).set(0, 'step');
    expect(ci.text).toBe('');
  });

  it('on a terminal, keeps one live line per worker below the results and removes them at the end', () => {
    const tty = io(true);
    const w = new WorkerLines(tty, 2);
    w.start(0, 'roll-forward');
    expect(tty.text).toBe('  w1 roll-forward\n  w2 idle\n');
    w.print('PASS  roll-forward\n', 'out');
    expect(tty.text.endsWith('\x1b[2A\x1b[0J<out>PASS  roll-forward\n  w1 roll-forward\n  w2 idle\n')).toBe(true);
    w.done();
    expect(tty.text.endsWith('\x1b[2A\x1b[0J')).toBe(true);
  });
});

describe('endSummary', () => {
  it('lists each scenario in order with what did not pass, then the totals and the wall against the sum', () => {
    const text = endSummary(
      [
        report('roll-forward', 'pass', 9_000),
        report('roll-back', 'fail', 12_500, [
          { check: 'no-chunk-load-error', verdict: 'fail', evidence: [] },
          { check: 'cache-status', verdict: 'inconclusive', evidence: [] },
        ]),
      ],
      75_000,
      2,
    );
    expect(text.split('\n')).toEqual([
      'scenario      world   deployer          verdict  not passing (? = inconclusive)        wall',
      'roll-forward  pinned  releases-symlink  PASS     -                                    9.0 s',
      'roll-back     pinned  releases-symlink  FAIL     no-chunk-load-error, cache-status?  12.5 s',
      '',
      '2 scenario(s): 1 passed, 1 failed, 0 inconclusive',
      "wall 1 min 15 s with 2 worker(s); the scenarios' own times add up to 21.5 s (0.29× the wall)",
      '',
    ]);
  });
});
