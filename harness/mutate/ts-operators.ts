import { parse, tokenizer } from 'acorn';
import { ancestor } from 'acorn-walk';
import type { Mutant, MutationOperator } from './shell-operators.ts';
import { stripTypes } from './ts-coverage.ts';

// acorn's node shape, as far as the operators read it.
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** A call that only logs (`ctx.log(…)`, `log(…)`, `console.*(…)`): changing it changes output, never the deploy. */
function isLogCall(n: Node): boolean {
  if (n.type !== 'CallExpression') return false;
  const callee = n.callee as Node;
  if (callee.type === 'Identifier') return callee.name === 'log';
  if (callee.type !== 'MemberExpression') return false;
  const object = callee.object as Node;
  const property = callee.property as Node;
  return (property.type === 'Identifier' && property.name === 'log') || (object.type === 'Identifier' && object.name === 'console');
}

/** A statement doing work: a call (awaited or not) that is not a log line. */
function isWorkStatement(n: Node): boolean {
  if (n.type !== 'ExpressionStatement') return false;
  let e = n.expression as Node;
  if (e.type === 'AwaitExpression') e = e.argument as Node;
  if (e.type === 'UnaryExpression' && e.operator === 'void') e = e.argument as Node;
  if (e.type === 'AwaitExpression') e = e.argument as Node;
  return e.type === 'CallExpression' && !isLogCall(e);
}

const COMPARISON: Record<string, string> = {
  '<': '<=',
  '<=': '<',
  '>': '>=',
  '>=': '>',
  '===': '!==',
  '!==': '===',
  '==': '!=',
  '!=': '==',
};
const LOGICAL: Record<string, string> = { '&&': '||', '||': '&&' };

/**
 * Every mutant of one TypeScript (or JavaScript) deployer module, in source order: Stryker's
 * operators that change what a deploy does. Types are stripped to whitespace first (offsets
 * kept), so each change is made on the original text and a mutant is its lines before and after.
 */
export function tsMutants(file: string, text: string): Mutant[] {
  const code = stripTypes(text);
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as Node;
  const changes: { start: number; end: number; to: string; operator: MutationOperator }[] = [];
  const change = (start: number, end: number, to: string, operator: MutationOperator) => changes.push({ start, end, to, operator });
  const inLog = (ancestors: Node[]) => ancestors.some(isLogCall);
  const visitors: Record<string, (n: Node, st: unknown, ancestors: Node[]) => void> = {
    ExpressionStatement(n, _, ancestors) {
      if (isWorkStatement(n) && !inLog(ancestors)) change(n.start, n.end, 'void 0;', 'drop-statement');
    },
    BlockStatement(n, _, ancestors) {
      if (inLog(ancestors)) return;
      const body = n.body as Node[];
      for (let i = 0; i + 1 < body.length; i++) {
        const [a, b] = [body[i]!, body[i + 1]!];
        if (isWorkStatement(a) && isWorkStatement(b))
          change(
            a.start,
            b.end,
            `${text.slice(b.start, b.end)}${text.slice(a.end, b.start)}${text.slice(a.start, a.end)}`,
            'swap-statements',
          );
      }
    },
    Literal(n, _, ancestors) {
      if (inLog(ancestors)) return;
      if (typeof n.value === 'number' && /^\d+$/.test(text.slice(n.start, n.end).replace(/_/g, ''))) {
        const v = n.value;
        change(n.start, n.end, String(v > 1 ? v - 1 : v + 1), 'change-number');
      }
      if (typeof n.value === 'boolean') change(n.start, n.end, String(!n.value), 'flip-boolean');
    },
    BinaryExpression(n, _, ancestors) {
      const to = COMPARISON[n.operator as string];
      if (to && !inLog(ancestors)) operatorChange(n, to, 'flip-comparison');
    },
    LogicalExpression(n, _, ancestors) {
      const to = LOGICAL[n.operator as string];
      if (to && !inLog(ancestors)) operatorChange(n, to, 'flip-logical');
    },
    IfStatement(n, _, ancestors) {
      if (inLog(ancestors)) return;
      const test = n.test as Node;
      change(test.start, test.end, `!(${text.slice(test.start, test.end)})`, 'negate-condition');
    },
    ConditionalExpression(n, _, ancestors) {
      if (inLog(ancestors)) return;
      const test = n.test as Node;
      change(test.start, test.end, `!(${text.slice(test.start, test.end)})`, 'negate-condition');
    },
    ArrayExpression(n, _, ancestors) {
      if ((n.elements as unknown[]).length && !inLog(ancestors)) change(n.start, n.end, '[]', 'empty-array');
    },
    MemberExpression(n, _, ancestors) {
      if (inLog(ancestors)) return;
      const object = n.object as Node;
      const property = n.property as Node;
      if (
        object.type === 'Identifier' &&
        object.name === 'Math' &&
        property.type === 'Identifier' &&
        /^(min|max)$/.test(property.name as string)
      )
        change(property.start, property.end, property.name === 'min' ? 'max' : 'min', 'min-max');
    },
  };
  // The operator token itself, between the operands: in the stripped text, where a cast's `Array<T>` is
  // whitespace, and by tokens, so a comment holding `<` is not it.
  function operatorChange(n: Node, to: string, operator: MutationOperator) {
    const from = (n.left as Node).end;
    const between = code.slice(from, (n.right as Node).start);
    for (const t of tokenizer(between, { ecmaVersion: 'latest' }))
      if (between.slice(t.start, t.end) === n.operator) return change(from + t.start, from + t.end, to, operator);
  }
  ancestor(ast as never, visitors as never);

  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const seen = new Map<string, number>();
  return changes
    .sort((a, z) => a.start - z.start || a.end - z.end)
    .map((c) => {
      const first = lineOf(c.start);
      const last = lineOf(Math.max(c.start, c.end - 1));
      const from = lineStarts[first]!;
      const to = last + 1 < lineStarts.length ? lineStarts[last + 1]! - 1 : text.length;
      const before = text.slice(from, to);
      const after = text.slice(from, c.start) + c.to + text.slice(c.end, to);
      const base = `${file}:${first + 1}:${c.operator}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return { id: n > 1 ? `${base}:${n}` : base, file, line: first + 1, operator: c.operator, before, after, start: c.start, end: c.end };
    })
    .filter((m) => m.before !== m.after);
}

/**
 * The relative modules a module loads at run time (`./plan.ts`, `../x.js`): value imports and
 * re-exports. `import type …`, `export type … from` and imports of types only are erased.
 */
export function moduleImports(text: string): string[] {
  const ast = parse(stripTypes(text), { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as { body: Node[] };
  const out: string[] = [];
  for (const n of ast.body) {
    if (!/^(ImportDeclaration|ExportNamedDeclaration|ExportAllDeclaration)$/.test(n.type) || !n.source) continue;
    const source = n.source as Node;
    // `import { type A, type B } from …` strips to `import {   } from …`: types only, which a
    // bundler (tsx) drops. A side-effect import (`import './x.ts'`) never had braces.
    if ((n.specifiers as Node[] | undefined)?.length === 0 && /\{\s*[^\s}]/.test(text.slice(n.start, source.start))) continue;
    const spec = source.value as string;
    if (spec.startsWith('./') || spec.startsWith('../')) out.push(spec);
  }
  return [...new Set(out)];
}
