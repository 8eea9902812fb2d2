import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { BrowserPool } from '../browser/pool.ts';
import { loadDeployer } from '../deployers/load.ts';
import { forgetSandboxMode } from '../deployers/external/sandbox.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { shellArg } from '../io/shell.ts';
import { runWithBrowsers } from '../run/browser-workers.ts';
import type { ScenarioReport } from '../run/report.ts';
import { runScenario } from '../run/run-scenario.ts';
import type { Scenario } from '../scenario/parse.ts';
import { applyMutant, type Mutant, sampleMutants, shellMutants } from './shell-operators.ts';
import { HIT, instrumentRegions, type Region, reached } from './ts-coverage.ts';
import { moduleImports, tsMutants } from './ts-operators.ts';

export interface MutateOptions {
  /** A command deployer: a reference name whose command is a script, or a script's path. */
  deployer: string;
  scenarios: Scenario[];
  maxMutants: number;
  /** Only mutants whose id or changed lines contain this text (one survivor, rechecked). */
  match?: string;
  workers: number;
  runsDir: string;
  seed: number;
  log?: (line: string) => void;
}

/** killed: a check failed; errored: the deployer itself failed (inconclusive, loud in any pipeline); survived: every scenario passed. */
export type MutantStatus = 'killed' | 'errored' | 'survived';

export interface MutantResult {
  mutant: Mutant;
  status: MutantStatus;
  /** The scenario that told, with its failing checks. */
  by?: { scenario: string; verdict: ScenarioReport['verdict']; checks: string[] };
  ms: number;
}

export interface MutateReport {
  deployer: string;
  files: string[];
  scenarios: string[];
  /** Mutants the operators made, and those on lines the scenarios run (the rest say nothing). */
  generated: number;
  covered: number;
  results: MutantResult[];
  /** killed / (killed + survived), as Stryker scores (runtime errors left out). */
  score: number;
  dir: string;
}

/**
 * `skew mutate`: each mutant is the deployer (and the scripts it sources) with one small change;
 * the scenarios run against it until one fails. The unchanged deployer must pass them all first,
 * or no mutant's verdict would mean anything.
 */
export async function runMutate(o: MutateOptions): Promise<MutateReport> {
  const log = o.log ?? (() => {});
  const deployer = await loadDeployer(o.deployer);
  const shell = !!deployer.command;
  if (!deployer.command && !deployer.module)
    throw new HarnessError(
      'INVALID_OPTION',
      `skew mutate cannot find the source of ${deployer.name}`,
      'give a shell script (--deployer releases-symlink, ./deploy.sh) or a TypeScript/JavaScript module (--deployer additive-gc, ./deployer.ts)',
    );
  const entry = resolve((deployer.command ?? deployer.module)!);
  const files = shell ? await sourcedFiles(entry) : await importedFiles(entry);
  // The folder holding every file it loads (broken/x.sh sources ../lib.sh): copied whole.
  const root = commonFolder(files);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const dir = join(resolve(o.runsDir), `mutate-${stamp}-${deployer.name}`);
  const texts = new Map(await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')] as const)));
  const all = files.flatMap((f) => (shell ? shellMutants : tsMutants)(relative(root, f), texts.get(f)!));

  const matches = (m: Mutant) => !o.match || m.id.includes(o.match) || m.before.includes(o.match);
  if (o.match && !all.some(matches))
    throw new HarnessError(
      'INVALID_OPTION',
      `no mutant of ${deployer.name} matches "${o.match}"`,
      'match a mutant id (lib.sh:62:non-atomic-switch) or text of the line it changes',
    );
  // A copy of the deployer's folder per mutant (the scripts find what they source next to them).
  const copyFor = async (name: string, change?: (file: string, text: string) => string): Promise<string> => {
    const to = join(dir, name);
    await cp(root, to, { recursive: true, filter: (src) => !src.includes('node_modules') });
    if (change) for (const f of files) await writeFile(join(to, relative(root, f)), change(relative(root, f), texts.get(f)!));
    return join(to, relative(root, entry));
  };
  const mutantCopy = (name: string, m: Mutant) => copyFor(name, (file, text) => (file === m.file ? applyMutant(text, m) : text));
  // The unchanged deployer, traced: a script by bash xtrace to a file, a module by a call on
  // entering each of its blocks. Which lines or blocks the scenarios run.
  const traceFile = join(await mkdtemp(join(tmpdir(), 'skew-mutate-')), 'trace');
  const regions = new Map<string, Region[]>();
  const hits = new Map<string, Set<number>>();
  const original = await copyFor('original', (file, text) => {
    if (!shell) {
      const r = instrumentRegions(text, file);
      regions.set(file, r.regions);
      return r.text;
    }
    if (join(root, file) !== entry) return text;
    const [shebang, ...rest] = text.split('\n');
    return [shebang, `exec {BASH_XTRACEFD}>>${shellArg(traceFile)}; PS4='+\${BASH_SOURCE[0]}:\${LINENO}: '; set -x`, ...rest].join('\n');
  });
  (globalThis as Record<string, unknown>)[HIT] = (file: string, start: number) => {
    const set = hits.get(file) ?? new Set<number>();
    hits.set(file, set.add(start));
  };
  // The first scenario that does not pass, with what failed: the rest need not run.
  const verdictOf = async (script: string, browsers: BrowserPool) => {
    for (const scenario of o.scenarios) {
      const r = await runScenario({
        scenario,
        deployer: script,
        runsDir: join(dir, 'runs'),
        browsers,
        seed: o.seed,
        traces: 'off',
        keepStack: false,
      });
      if (r.verdict !== 'pass')
        return { scenario: scenario.name, verdict: r.verdict, checks: r.checks.filter((c) => c.verdict !== 'pass').map((c) => c.check) };
    }
    return undefined;
  };

  // The trace is written outside the deploy root, which the sandbox forbids: the unchanged
  // deployer runs with the before/after comparison instead, whose guarded folders it leaves alone.
  const sandbox = process.env.SKEW_SANDBOX;
  process.env.SKEW_SANDBOX = 'off';
  forgetSandboxMode();
  const baseline = await runWithBrowsers([0], 1, async (_, __, ___, browsers) => verdictOf(original, browsers)).finally(() => {
    if (sandbox === undefined) delete process.env.SKEW_SANDBOX;
    else process.env.SKEW_SANDBOX = sandbox;
    forgetSandboxMode();
  });
  if (baseline[0])
    throw new HarnessError(
      'INVALID_OPTION',
      `the unchanged ${deployer.name} does not pass ${baseline[0].scenario} (${baseline[0].verdict}: ${baseline[0].checks.join(', ')})`,
      'mutate against scenarios the deployer passes: its mutants are judged by what turns a pass into a failure',
    );
  log('the unchanged deployer passes every scenario');
  const covered = coveredLines(await readFile(traceFile, 'utf8').catch(() => ''), join(dir, 'original'));
  await rm(dirname(traceFile), { recursive: true, force: true });
  // Only mutants on code the scenarios ran: a change to code they never reach says nothing (Stryker's "no coverage").
  const reachedMutants = all.filter((m) =>
    shell
      ? m.before.split('\n').some((_, k) => covered.has(`${m.file}:${m.line + k}`))
      : reached(m.start ?? 0, regions.get(m.file) ?? [], hits.get(m.file) ?? new Set()),
  );
  const matching = reachedMutants.filter(matches);
  if (o.match && matching.length === 0)
    throw new HarnessError(
      'INVALID_OPTION',
      `no mutant on code the scenarios run matches "${o.match}"`,
      'match a mutant id (lib.sh:62:non-atomic-switch) or text of its line, on code the scenarios reach',
    );
  const tried = sampleMutants(matching, o.maxMutants);
  log(
    `${deployer.name}: ${all.length} mutant(s) of ${files.map((f) => relative(root, f)).join(', ')}, ${reachedMutants.length} on code the scenarios run${o.match ? `, ${matching.length} matching "${o.match}"` : ''}; trying ${tried.length} against ${o.scenarios.length} scenario(s)`,
  );
  const results = await runWithBrowsers(tried, o.workers, async (mutant, i, _, browsers) => {
    const started = Date.now();
    const by = await verdictOf(await mutantCopy(`mutant-${i + 1}`, mutant), browsers);
    const status: MutantStatus = !by ? 'survived' : by.verdict === 'fail' ? 'killed' : 'errored';
    const result: MutantResult = { mutant, status, ...(by ? { by } : {}), ms: Date.now() - started };
    log(
      `${status.toUpperCase().padEnd(8)} ${mutant.file}:${mutant.line} ${mutant.operator}${by ? ` (${by.scenario}: ${by.checks.join(', ') || by.verdict})` : ''}`,
    );
    return result;
  });
  const killed = results.filter((r) => r.status === 'killed').length;
  const survived = results.filter((r) => r.status === 'survived').length;
  const report: MutateReport = {
    deployer: deployer.name,
    files: files.map((f) => relative(root, f)),
    scenarios: o.scenarios.map((s) => s.name),
    generated: all.length,
    covered: reachedMutants.length,
    results,
    score: killed + survived ? killed / (killed + survived) : 0,
    dir,
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** The module and the modules it imports by relative path (its own files; packages are not mutated), in order. */
export function importedFiles(entry: string): Promise<string[]> {
  return filesLoadedFrom(entry, (file, text) => moduleImports(text).map((spec) => resolve(dirname(file), spec)));
}

/** The script and the scripts it sources next to it (`source "$(dirname "$0")/lib.sh"`), in order. */
export function sourcedFiles(entry: string): Promise<string[]> {
  // `$(dirname "$0")` is the entry script's folder, whichever file sources.
  return filesLoadedFrom(entry, (_, text) =>
    [...text.matchAll(/^\s*(?:source|\.)\s+"\$\(dirname "\$0"\)\/([^"]+)"/gm)].map((m) => resolve(dirname(entry), m[1]!)),
  );
}

/** `entry` and every file it loads, transitively, each once, in the order first met. */
async function filesLoadedFrom(entry: string, loads: (file: string, text: string) => string[]): Promise<string[]> {
  const seen: string[] = [];
  const visit = async (file: string) => {
    if (seen.includes(file)) return;
    seen.push(file);
    for (const next of loads(file, await readFile(file, 'utf8'))) await visit(next);
  };
  await visit(entry);
  return seen;
}

function commonFolder(files: readonly string[]): string {
  const parts = files.map((f) => dirname(f).split(sep));
  const first = parts[0]!;
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n).join(sep) || sep;
}

/** `file:line` of every traced line under `root` (bash xtrace with PS4 '+<file>:<line>: '). */
export function coveredLines(trace: string, root: string): Set<string> {
  const out = new Set<string>();
  for (const m of trace.matchAll(/^\++([^:\n]+):(\d+): /gm)) {
    const file = relative(root, m[1]!);
    if (!file.startsWith('..')) out.add(`${file}:${m[2]}`);
  }
  return out;
}

/** A survivor as a reader wants it: where, which operator, the lines before and after. */
export function diffOf(m: Mutant): string {
  return [
    `--- ${m.file}:${m.line} (${m.operator})`,
    ...m.before.split('\n').map((l) => `- ${l}`),
    ...m.after.split('\n').map((l) => `+ ${l}`),
  ].join('\n');
}
