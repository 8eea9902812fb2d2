/**
 * `npx tsx bench/verdicts.ts run <out.json> [scenario…]`: the catalogue (or the scenarios named)
 * in every world it applies to, with that world's good and every broken reference deployer, each pair's verdict and every check's, in
 * one JSON file.
 * `npx tsx bench/verdicts.ts compare <before.json> <after.json>`: the pairs and checks whose
 * verdict differs; exit 1 when one does.
 * `npx tsx bench/verdicts.ts table <out.json>`: a run as the markdown table docs/worlds.md quotes.
 *
 * A refactoring that must not change behaviour runs it before and after and compares check by
 * check. A measurement, not a test: it takes about as long as the nightly catalogue.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from '../harness/builds/build-cache.ts';
import { deploymentIdsOf, referenceDeployers, referencesIn, worldsOf } from '../harness/core/scenario.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { CATALOGUE } from '../scenarios/index.ts';

interface PairVerdict {
  scenario: string;
  deployer: string;
  verdict: string;
  checks: Record<string, string>;
  /** First evidence line of each check that did not pass (to tell noise from a change). */
  why: Record<string, string>;
  /** First evidence line of every check (what a table of outcomes quotes). */
  said?: Record<string, string>;
  ms: number;
}

async function run(out: string, names: string[]): Promise<void> {
  const scenarios = names.length ? CATALOGUE.filter((s) => names.includes(s.name)) : CATALOGUE;
  const runsDir = join(REPO_ROOT, 'runs', 'verdicts');
  const pairs: PairVerdict[] = [];
  const started = Date.now();
  for (const s of scenarios) {
    for (const world of worldsOf(s)) {
      for (const mode of deploymentIdsOf(s)) {
        const refs = referencesIn(s, world, mode);
        for (const deployer of referenceDeployers(refs)) {
          const r = await runScenario({ scenario: s, deployer, world, deploymentId: mode, runsDir, traces: 'off', seed: 1 });
          const where = [...(world === 'pinned' ? [] : [world]), ...(mode === 'off' ? ['no deployment id'] : [])];
          const p: PairVerdict = {
            scenario: where.length ? `${s.name} [${where.join(', ')}]` : s.name,
            deployer,
            verdict: r.verdict,
            checks: Object.fromEntries(r.checks.map((c) => [c.check, c.verdict])),
            why: Object.fromEntries(r.checks.filter((c) => c.verdict !== 'pass').map((c) => [c.check, c.evidence[0] ?? ''])),
            said: Object.fromEntries(r.checks.map((c) => [c.check, c.evidence[0] ?? ''])),
            ms: r.durationMs,
          };
          pairs.push(p);
          console.log(
            `${`${p.scenario} × ${deployer}`.padEnd(64)} ${r.verdict.padEnd(12)} ${Object.entries(p.checks)
              .filter(([, v]) => v !== 'pass')
              .map(([c, v]) => `${c}=${v}`)
              .join(' ')}`,
          );
          await rm(r.runDir, { recursive: true, force: true });
          await mkdir(dirname(resolve(out)), { recursive: true });
          await writeFile(resolve(out), `${JSON.stringify({ commitOf: REPO_ROOT, ms: Date.now() - started, pairs }, null, 2)}\n`);
        }
      }
    }
  }
  console.log(`${pairs.length} pairs in ${((Date.now() - started) / 60_000).toFixed(1)} min → ${out}`);
}

async function compare(a: string, b: string): Promise<number> {
  const load = async (f: string) => (JSON.parse(await readFile(f, 'utf8')) as { pairs: PairVerdict[] }).pairs;
  const before = await load(a);
  const after = await load(b);
  const key = (p: PairVerdict) => `${p.scenario} × ${p.deployer}`;
  const afterBy = new Map(after.map((p) => [key(p), p]));
  let differ = 0;
  let checks = 0;
  for (const p of before) {
    const q = afterBy.get(key(p));
    afterBy.delete(key(p));
    if (!q) {
      console.log(`missing after: ${key(p)}`);
      differ++;
      continue;
    }
    const names = new Set([...Object.keys(p.checks), ...Object.keys(q.checks)]);
    for (const c of names) {
      checks++;
      if (p.checks[c] === q.checks[c]) continue;
      differ++;
      console.log(
        `${key(p)}: ${c} ${p.checks[c] ?? '(absent)'} → ${q.checks[c] ?? '(absent)'}\n    before: ${p.why[c] ?? ''}\n    after:  ${q.why[c] ?? ''}`,
      );
    }
  }
  for (const k of afterBy.keys()) {
    console.log(`new after: ${k}`);
    differ++;
  }
  console.log(`${before.length} pairs, ${checks} checks compared: ${differ} difference(s)`);
  return differ ? 1 : 0;
}

/** One row per pair: where it ran, the verdict (a recovery told apart), what failed, what recovers-by-navigation said. */
async function table(file: string): Promise<void> {
  const { pairs } = JSON.parse(await readFile(file, 'utf8')) as { pairs: PairVerdict[] };
  const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  row(['scenario', 'world', 'deployment id', 'deployer', 'verdict', 'checks that failed', '`recovers-by-navigation` said']);
  row(Array(7).fill('---'));
  for (const p of pairs) {
    const [, name = p.scenario, where = ''] = /^(\S+)(?: \[(.*)\])?$/.exec(p.scenario) ?? [];
    const tags = where.split(', ').filter(Boolean);
    const failed = Object.entries(p.checks).filter(([, v]) => v !== 'pass');
    const recovered = failed.length === 1 && failed[0]![0] === 'no-hard-reload' && p.checks['recovers-by-navigation'] === 'pass';
    row([
      name,
      tags.find((t) => t !== 'no deployment id') ?? 'pinned',
      tags.includes('no deployment id') ? 'off' : 'on',
      p.deployer,
      recovered ? 'fail, users recover' : p.verdict,
      failed.map(([c, v]) => (v === 'fail' ? c : `${c} (${v})`)).join(', '),
      (p.said?.['recovers-by-navigation'] ?? '').replace(/\|/g, '\\|'),
    ]);
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'run' && args[0]) await run(args[0], args.slice(1));
else if (mode === 'compare' && args[0] && args[1]) process.exitCode = await compare(args[0], args[1]);
else if (mode === 'table' && args[0]) await table(args[0]);
else {
  console.error('usage: npx tsx bench/verdicts.ts run <out.json> [scenario…] | compare <before.json> <after.json> | table <out.json>');
  process.exitCode = 64;
}
