import type { ScenarioReport } from '../harness/run/report.ts';
import type { Io } from './io.ts';

/** How a verdict is printed in results and tables. */
export const VERDICT_MARK = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE', interrupted: 'INTERRUPTED' } as const;

/**
 * What parallel workers print: on a terminal, one live line per worker (its scenario and latest
 * step) kept below the output; elsewhere (CI logs) a line when a scenario starts. Finished
 * scenarios' results are printed above the live lines as they end.
 */
export class WorkerLines {
  private readonly lines: string[];
  private shown = 0;
  private readonly live: boolean;

  constructor(
    private readonly io: Io,
    workers: number,
  ) {
    this.lines = new Array(workers).fill('');
    // A CI log is not a terminal to redraw: it gets plain lines.
    this.live = io.isTTY && !io.env.CI;
  }

  /** Worker `w` started a scenario. */
  start(w: number, text: string): void {
    if (this.live) this.set(w, text);
    else this.print(`[w${w + 1}] ${text}\n`);
  }

  /** Worker `w`'s latest progress line (a terminal shows it; a log does not). */
  set(w: number, text: string): void {
    this.lines[w] = text;
    if (this.live) this.redraw();
  }

  /** Text printed above the live lines: results (stdout, as serial runs print them) or notes (stderr). */
  print(text: string, to: 'out' | 'err' = 'err'): void {
    this.clear();
    this.io[to](text);
    if (this.live) this.redraw();
  }

  /** Removes the live lines (the run is over). */
  done(): void {
    this.clear();
  }

  private clear(): void {
    if (this.shown) this.io.err(`\x1b[${this.shown}A\x1b[0J`);
    this.shown = 0;
  }

  private redraw(): void {
    this.clear();
    const width = 118;
    const text = this.lines.map((l, w) => `  w${w + 1} ${l || 'idle'}`.slice(0, width));
    this.io.err(`${text.join('\n')}\n`);
    this.shown = text.length;
  }
}

/**
 * The end-of-run table, as test runners close: each scenario with its world, deployer, verdict,
 * failing checks and wall time, in catalogue order, then the totals and the wall time against
 * the sum of the scenarios' times (what the workers saved).
 */
export function endSummary(reports: readonly ScenarioReport[], wallMs: number, workers: number): string {
  const rows = reports.map((r) => [
    r.scenario,
    r.world ?? 'pinned',
    r.deployer,
    VERDICT_MARK[r.verdict],
    r.checks
      .filter((c) => c.verdict !== 'pass')
      .map((c) => (c.verdict === 'fail' ? c.check : `${c.check}?`))
      .join(', ') || '-',
    seconds(r.durationMs),
  ]);
  const head = ['scenario', 'world', 'deployer', 'verdict', 'not passing (? = inconclusive)', 'wall'];
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const count = (v: ScenarioReport['verdict']) => reports.filter((r) => r.verdict === v).length;
  const sum = reports.reduce((a, r) => a + r.durationMs, 0);
  return [
    fmt(head),
    ...rows.map(fmt),
    '',
    `${reports.length} scenario(s): ${count('pass')} passed, ${count('fail')} failed, ${count('inconclusive')} inconclusive`,
    `wall ${seconds(wallMs)} with ${workers} worker(s); the scenarios' own times add up to ${seconds(sum)} (${(sum / Math.max(1, wallMs)).toFixed(2)}× the wall)`,
    '',
  ].join('\n');
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
