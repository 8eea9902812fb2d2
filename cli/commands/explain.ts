import { CHECKS } from '../../harness/checks/index.ts';
import { deploymentIdsOf, referencesIn, worldsOf } from '../../harness/core/scenario.ts';
import { DEPLOYERS } from '../../harness/deployers/registry.ts';
import { stepKind } from '../../harness/steps/index.ts';
import { getScenario } from '../../scenarios/index.ts';
import { EXIT, type Io } from '../io.ts';

/**
 * `skew explain <scenario>`: what it does step by step, which seed practice it covers, what
 * each check's failure means and how to fix the deployer, and which reference deployers prove it.
 */
export function explainCommand(io: Io, name: string, opts: { json?: boolean }): number {
  const s = getScenario(name);
  const steps = s.steps.map((step) => stepKind(step.kind)!.label(step as never));
  const checks = s.checks.map((c) => ({
    name: c,
    verifies: CHECKS[c]!.description,
    ifItFails: CHECKS[c]!.fix,
    // What it means in each world the scenario runs in (the description, unless the check says more).
    inWorlds: Object.fromEntries(worldsOf(s).map((w) => [w, CHECKS[c]!.worlds?.[w] ?? 'as described'])),
  }));
  // Where the scenario runs, labelled when there is more than one place (world, and builds without a deployment id).
  const places = worldsOf(s).flatMap((world) => deploymentIdsOf(s).map((mode) => ({ world, mode })));
  const label = (world: string, mode: string) => (places.length > 1 ? `[${world}${mode === 'off' ? ', no deployment id' : ''}] ` : '');
  const reference = places.flatMap(({ world, mode }) => {
    const r = referencesIn(s, world, mode);
    const where = label(world, mode);
    return [
      ...(r.limit ? [{ where, deployer: '(none)', expect: 'no deployer passes here', description: r.limit }] : []),
      ...(r.good ? [{ where, deployer: r.good, expect: 'pass', description: DEPLOYERS[r.good]?.description ?? '' }] : []),
      ...(r.recovering ?? []).map((d) => ({
        where,
        deployer: d,
        expect: 'users recover by navigation (no-hard-reload fails, recovers-by-navigation passes)',
        description: DEPLOYERS[d]?.description ?? '',
      })),
      ...r.broken.map((b) => ({
        where,
        deployer: b.deployer,
        expect: `fail (${b.fails.join(', ')})`,
        description: DEPLOYERS[b.deployer]?.description ?? '',
      })),
    ];
  });
  if (opts.json) {
    io.out(
      `${JSON.stringify({ name: s.name, title: s.title, description: s.description, source: s.source, versions: s.versions, worlds: worldsOf(s), deploymentIds: deploymentIdsOf(s), steps, checks, reference }, null, 2)}\n`,
    );
    return EXIT.pass;
  }
  const lines = [
    `${s.name} — ${s.title}`,
    '',
    wrap(s.description),
    '',
    `Seed: ${s.source}`,
    `Worlds: ${worldsOf(s).join(', ')} (skew run --world; docs/worlds.md); deployment ids: ${deploymentIdsOf(s).join(', ')} (--deployment-id)`,
    '',
    `Steps (versions ${s.versions.join(', ')}${s.platform ? ', skew-protection platform' : ''}):`,
    ...steps.map((l, i) => `  ${String(i + 1).padStart(2)}. ${l}`),
    '',
    'Checks — what each verifies, and what to change when it fails:',
    ...checks.flatMap((c) => [
      `  ${c.name}: ${c.verifies}`,
      ...Object.entries(c.inWorlds)
        .filter(([, meaning]) => worldsOf(s).length > 1 && meaning !== 'as described')
        .map(([w, meaning]) => wrap(`in ${w}: ${meaning}`, '      ')),
      wrap(`if it fails: ${c.ifItFails}`, '      '),
    ]),
    '',
    'Proven with:',
    ...reference.map((r) => `  ${r.where}${r.deployer} → ${r.expect}: ${r.description}`),
    '',
    `Run it: npx skew run ${s.name} --deployer ./your-deploy.sh   (contract: docs/deployer-contract.md)`,
  ];
  io.out(`${lines.join('\n')}\n`);
  return EXIT.pass;
}

function wrap(text: string, indent = '  ', width = 100): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + word.length + 1 > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join('\n');
}
