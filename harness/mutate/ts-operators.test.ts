// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are TypeScript source, whose ${…} is the module's
import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { applyMutant } from './shell-operators.ts';
import { moduleImports, tsMutants } from './ts-operators.ts';

const SOURCE = `import type { DeployContext } from '../deployer.ts';
import { plan, type Policy } from './plan.ts';

interface Opts { keep: number }

export async function gc(ctx: DeployContext, o: Opts = { keep: 3 } as Opts): Promise<string[]> {
  ctx.log(\`keeping \${o.keep} of \${[1, 2].length}\`);
  if (o.keep < 1) return [];
  await upload(ctx);
  await remove(ctx as DeployContext, Math.min(o.keep, 10));
  return ['a', 'b'].filter((x) => x !== 'a' && true);
}
`;

describe('TypeScript mutation operators', () => {
  const mutants = tsMutants('gc.ts', SOURCE);
  const of = (op: string) => mutants.filter((m) => m.operator === op).map((m) => m.after.trim());

  it('changes what the code does, on the original text, types and all', () => {
    expect(of('drop-statement')).toEqual(['void 0;', 'void 0;']);
    expect(of('swap-statements')).toEqual(['await remove(ctx as DeployContext, Math.min(o.keep, 10));\n  await upload(ctx);']);
    expect(of('change-number')).toEqual([
      'export async function gc(ctx: DeployContext, o: Opts = { keep: 2 } as Opts): Promise<string[]> {',
      'if (o.keep < 2) return [];',
      'await remove(ctx as DeployContext, Math.min(o.keep, 9));',
    ]);
    expect(of('flip-comparison')).toEqual(['if (o.keep <= 1) return [];', "return ['a', 'b'].filter((x) => x === 'a' && true);"]);
    expect(of('flip-logical')).toEqual(["return ['a', 'b'].filter((x) => x !== 'a' || true);"]);
    expect(of('flip-boolean')).toEqual(["return ['a', 'b'].filter((x) => x !== 'a' && false);"]);
    expect(of('negate-condition')).toEqual(['if (!(o.keep < 1)) return [];']);
    expect(of('empty-array')).toEqual(["return [].filter((x) => x !== 'a' && true);"]);
    expect(of('min-max')).toEqual(['await remove(ctx as DeployContext, Math.max(o.keep, 10));']);
  });

  it('leaves log calls alone (their numbers and arrays only change output)', () => {
    expect(mutants.filter((m) => m.line === 7)).toEqual([]);
    const logs = [
      'log(`kept ${Math.max(a, 2)} of ${[1, 2].length}`);',
      'console.error(`x ${n > 1 ? true : false}`);',
      'ctx.log(items.map((i) => { if (i) { f(i); g(i); } return i && 1; }));',
    ].join('\n');
    expect(tsMutants('log.ts', logs)).toEqual([]);
  });

  it('finds the operator token among the types and comments between the operands', () => {
    const text = 'const k = (n as Array<number>) /* < */ < (m satisfies number) && (a as Set<string>) /* || */ !== b;';
    const after = tsMutants('k.ts', text).map((m) => m.after);
    expect(after).toContain('const k = (n as Array<number>) /* < */ <= (m satisfies number) && (a as Set<string>) /* || */ !== b;');
    expect(after).toContain('const k = (n as Array<number>) /* < */ < (m satisfies number) || (a as Set<string>) /* || */ !== b;');
    expect(after).toContain('const k = (n as Array<number>) /* < */ < (m satisfies number) && (a as Set<string>) /* || */ === b;');
    expect(after).toHaveLength(3);
  });

  it('spans every line a multi-line change touches', () => {
    const text = 'run(async () => {\n  await a();\n  await b(\n    1,\n  );\n});';
    const swap = tsMutants('s.ts', text).find((m) => m.operator === 'swap-statements')!;
    expect(swap.line).toBe(2);
    expect(swap.before).toBe('  await a();\n  await b(\n    1,\n  );');
    expect(applyMutant(text, swap)).toBe('run(async () => {\n  await b(\n    1,\n  );\n  await a();\n});');
  });

  it('gives ids unique per file, lines 1-based, and offsets into the original text', () => {
    expect(new Set(mutants.map((m) => m.id)).size).toBe(mutants.length);
    const m = mutants.find((x) => x.operator === 'min-max')!;
    expect(SOURCE.slice(m.start, m.end)).toBe('min');
    expect(m.line).toBe(10);
  });

  it("every mutant of the platform's real deployer modules still strips and parses", () => {
    const operators = new Set<string>();
    for (const f of ['lib.ts', 'plan.ts']) {
      const text = readFileSync(new URL(`../../deployers/knext/${f}`, import.meta.url), 'utf8');
      const all = tsMutants(f, text);
      expect(all.length, f).toBeGreaterThan(20);
      for (const m of all) {
        operators.add(m.operator);
        const mutated = applyMutant(text, m);
        expect(mutated, m.id).not.toBe(text);
        parse(stripTypeScriptTypes(mutated), { ecmaVersion: 'latest', sourceType: 'module' });
      }
    }
    expect([...operators].sort()).toEqual([
      'change-number',
      'drop-statement',
      'empty-array',
      'flip-boolean',
      'flip-comparison',
      'flip-logical',
      'min-max',
      'negate-condition',
      'swap-statements',
    ]);
  });

  it('finds the relative modules loaded at run time, not type-only imports', () => {
    expect(moduleImports(SOURCE)).toEqual(['./plan.ts']);
    expect(moduleImports(readFileSync(new URL('../../deployers/knext/lib.ts', import.meta.url), 'utf8'))).toEqual(['./plan.ts']);
    const text = [
      "import { type A, type B } from './types.ts';",
      "export { type C } from './c.ts';",
      "export type * from './d.ts';",
      "import './side.ts';",
      "export * from '../all.ts';",
      "import { x } from 'node:fs';",
    ].join('\n');
    expect(moduleImports(text)).toEqual(['./side.ts', '../all.ts']);
  });
});
