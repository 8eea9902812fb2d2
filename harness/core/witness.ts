import type { Stamped } from './history.ts';

/** How many times a check may be judged again while a witness is looked for. */
const BUDGET = 2000;

/** A failure's kind: its first evidence line with the numbers taken out ("version A: #/# requests answered #"). */
export function failureKind(evidence: readonly string[]): string {
  return (evidence[0] ?? '').replace(/\d+(\.\d+)?/g, '#');
}

/**
 * The few events that prove a failure (Elle's minimal witness, found by delta debugging, Zeller's
 * ddmin): a subset of the history, in its order, on which `fails` still holds, and from which no
 * single chunk the search tried can be removed. `fails` is the check judged again on a subset
 * (pure, so cheap); within BUDGET judgements the result is 1-minimal, else the smallest found.
 */
export function minimalWitness(
  events: readonly Stamped[],
  fails: (subset: readonly Stamped[]) => boolean,
): { events: Stamped[]; minimal: boolean } {
  let cur = [...events];
  let n = 2;
  let tries = 0;
  const test = (s: Stamped[]) => {
    tries++;
    try {
      return fails(s);
    } catch {
      return false;
    }
  };
  while (cur.length >= 2) {
    if (tries >= BUDGET) return { events: cur, minimal: false };
    const size = Math.ceil(cur.length / n);
    const chunks = Array.from({ length: Math.ceil(cur.length / size) }, (_, i) => cur.slice(i * size, (i + 1) * size));
    let reduced = false;
    for (const chunk of chunks) {
      if (tries >= BUDGET) break;
      if (test(chunk)) {
        cur = chunk;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && chunks.length > 2)
      for (let i = 0; i < chunks.length && tries < BUDGET; i++) {
        const rest = chunks.filter((_, j) => j !== i).flat();
        if (test(rest)) {
          cur = rest;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    if (!reduced) {
      if (n >= cur.length) break;
      n = Math.min(cur.length, n * 2);
    }
  }
  return { events: cur, minimal: tries < BUDGET };
}

/** One event on one line, for a terminal: its time, its type and its fields (long ones cut). */
export function formatEvent(e: Stamped, max = 200): string {
  const { t, type, c: _c, ...rest } = e as Stamped & Record<string, unknown>;
  const text = JSON.stringify(rest);
  return `${t} ms ${type} ${text.length > max ? `${text.slice(0, max - 1)}…` : text}`;
}
