import { CHECKS } from '../../harness/checks/index.ts';
import { deploymentIdsOf, worldsOf } from '../../harness/core/scenario.ts';
import { DEPLOYERS } from '../../harness/deployers/registry.ts';
import { FAULTS } from '../../harness/faults/index.ts';
import { CATALOGUE } from '../../scenarios/index.ts';
import { EXIT, type Io } from '../io.ts';

export function listCommand(io: Io, opts: { json?: boolean }): number {
  const scenarios = CATALOGUE.map((s) => ({
    name: s.name,
    title: s.title,
    description: s.description,
    source: s.source,
    versions: s.versions,
    steps: s.steps.length,
    checks: s.checks,
    worlds: worldsOf(s),
    deploymentIds: deploymentIdsOf(s),
  }));
  const deployers = Object.values(DEPLOYERS).map((d) => ({ name: d.name, reference: d.reference, description: d.description }));
  const faults = FAULTS.map((f) => ({ name: f.name, area: f.area, description: f.description, params: defaults(f.params) }));
  if (opts.json) {
    io.out(
      `${JSON.stringify({ scenarios, deployers, checks: Object.values(CHECKS).map((c) => ({ name: c.name, description: c.description })), faults }, null, 2)}\n`,
    );
    return EXIT.pass;
  }
  const lines = ['Scenarios:'];
  for (const s of scenarios)
    lines.push(
      `  ${s.name.padEnd(16)} ${s.title}`,
      `  ${''.padEnd(16)} checks: ${s.checks.join(', ')}; worlds: ${s.worlds.join(', ')}; deployment ids: ${s.deploymentIds.join(', ')}`,
    );
  lines.push('', 'Deployers:');
  for (const d of deployers) lines.push(`  ${d.name.padEnd(18)} (${d.reference}) ${d.description}`);
  lines.push('', 'Faults (scenario steps: { kind: "inject", fault, params } … { kind: "heal", fault }):');
  for (const f of faults)
    lines.push(`  ${f.name.padEnd(18)} [${f.area}] ${f.description}`, `  ${''.padEnd(18)} params (defaults): ${JSON.stringify(f.params)}`);
  io.out(`${lines.join('\n')}\n`);
  return EXIT.pass;
}

/** A fault's parameters with every default filled in. */
function defaults(schema: { parse(v: unknown): unknown }): unknown {
  return schema.parse({});
}
