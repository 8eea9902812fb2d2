/**
 * `npx tsx bench/repeat.ts [K] [--minutes M] [scenario…]`: the catalogue's fault scenarios (or the
 * ones named) K times each, with their good and their broken reference deployers, and how often
 * each gave the same verdict. Stops starting new rounds after M minutes (default 45): it is a
 * measurement, not a test.
 */
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { REPO_ROOT } from '../harness/builds/build-cache.ts';
import { faultKind } from '../harness/faults/index.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { CATALOGUE } from '../scenarios/index.ts';

const rounds = Number(process.argv[2] ?? 20);
const minutes = Number(process.argv[process.argv.indexOf('--minutes') + 1] ?? 45) || 45;
const deadline = Date.now() + minutes * 60_000;
const named = process.argv.slice(3).filter((a, i, all) => a !== '--minutes' && all[i - 1] !== '--minutes');
const withFaults = CATALOGUE.filter((s) =>
  named.length ? named.includes(s.name) : s.steps.some((st) => st.kind === 'inject' && faultKind(st.fault)),
);
const runsDir = join(REPO_ROOT, 'runs', 'repeat');
const verdicts = new Map<string, string[]>();
let done = 0;
for (let round = 1; round <= rounds && Date.now() < deadline; round++) {
  for (const s of withFaults) {
    for (const deployer of [s.reference.good, ...s.reference.broken.map((b) => b.deployer)]) {
      const r = await runScenario({ scenario: s, deployer, runsDir, traces: 'off' });
      const key = `${s.name} × ${deployer}`;
      verdicts.set(key, [
        ...(verdicts.get(key) ?? []),
        `${r.verdict}${
          r.verdict === 'fail'
            ? `(${r.checks
                .filter((c) => c.verdict === 'fail')
                .map((c) => c.check)
                .join('+')})`
            : ''
        }`,
      ]);
      await rm(r.runDir, { recursive: true, force: true });
    }
  }
  done = round;
  console.log(`round ${round} done (${((deadline - Date.now()) / 60_000).toFixed(0)} min left)`);
}
let same = 0;
for (const [key, vs] of verdicts) {
  const counts = new Map<string, number>();
  for (const v of vs) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = Math.max(...counts.values());
  if (counts.size === 1) same++;
  console.log(
    `${key.padEnd(58)} ${[...counts].map(([v, n]) => `${n}× ${v}`).join(', ')}${counts.size > 1 ? `  ← ${vs.length - top} differ` : ''}`,
  );
}
console.log(`${done} round(s): ${same} of ${verdicts.size} scenario × deployer pairs gave the same verdict every time`);
