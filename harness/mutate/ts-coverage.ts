import { stripTypeScriptTypes } from 'node:module';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';

/** The global an instrumented module reports each region it enters to. */
export const HIT = '__skewMutateHit';

export interface Region {
  start: number;
  end: number;
}

/**
 * Types stripped to whitespace, every offset kept: what acorn can parse. Node marks the API
 * experimental; its one-time warning would only confuse a `skew mutate` user.
 */
export function stripTypes(text: string): string {
  const emit = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(text, { mode: 'strip' });
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * Region coverage for a TypeScript deployer module, as bash xtrace gives line coverage for
 * scripts. Every block (a function's, a branch's, a loop's), every branch or loop body without
 * braces and every arrow function's expression body reports `globalThis.__skewMutateHit?.(<tag>,
 * <start>)` when entered, `<start>` being the region's offset in the original text. The loader (tsx, or
 * Node's stripping) sees ordinary TypeScript. Which regions ran says which mutants a scenario
 * can reach.
 */
export function instrumentRegions(text: string, tag: string): { text: string; regions: Region[] } {
  const ast = parse(stripTypes(text), { ecmaVersion: 'latest', sourceType: 'module' });
  const regions: Region[] = [];
  const inserts: { at: number; text: string }[] = [];
  const hit = (start: number) => `globalThis.${HIT}?.(${JSON.stringify(tag)}, ${start});`;
  const add = (n: { start: number; end: number; type: string } | null | undefined, expression = false) => {
    if (!n) return;
    regions.push({ start: n.start, end: n.end });
    if (n.type === 'BlockStatement') inserts.push({ at: n.start + 1, text: hit(n.start) });
    else if (expression) inserts.push({ at: n.start, text: `(${hit(n.start).slice(0, -1)}, ` }, { at: n.end, text: ')' });
    else inserts.push({ at: n.start, text: `{${hit(n.start)}` }, { at: n.end, text: '}' });
  };
  simple(ast, {
    Function: (n) => add(n.body, n.body.type !== 'BlockStatement'),
    IfStatement: (n) => {
      add(n.consequent);
      if (n.alternate?.type !== 'IfStatement') add(n.alternate);
    },
    ForStatement: (n) => add(n.body),
    ForOfStatement: (n) => add(n.body),
    ForInStatement: (n) => add(n.body),
    WhileStatement: (n) => add(n.body),
    CatchClause: (n) => add(n.body),
  });
  // From the end backwards, so each offset still names the original text; closings before openings at one spot.
  let out = text;
  for (const i of inserts.sort((a, z) => z.at - a.at || (a.text === ')' || a.text === '}' ? -1 : 1)))
    out = out.slice(0, i.at) + i.text + out.slice(i.at);
  return { text: out, regions: regions.sort((a, z) => a.start - z.start) };
}

/** Whether code at `offset` ran: the innermost region holding it was entered (top-level code runs on load). */
export function reached(offset: number, regions: readonly Region[], hit: ReadonlySet<number>): boolean {
  let inner: Region | undefined;
  for (const r of regions) if (r.start <= offset && offset < r.end && (!inner || r.start >= inner.start)) inner = r;
  return !inner || hit.has(inner.start);
}
