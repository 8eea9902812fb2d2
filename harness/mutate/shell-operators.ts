/**
 * Mutation operators for shell deployers, as Stryker's are for unit tests: each mutant is one
 * small change a careless edit of a deploy script makes. A mutant the catalogue does not catch
 * (every scenario still passes) is a deploy bug skew cannot see yet.
 */
export interface Mutant {
  /** Stable within one file's text: `<file>:<line>:<operator>[:n]`. */
  id: string;
  file: string;
  /** 1-based line of the change. */
  line: number;
  operator: MutationOperator;
  /** The lines before and after, for the report's diff. */
  before: string;
  after: string;
  /** A module's mutant: the changed range's offsets in the original text (coverage is by offset). */
  start?: number;
  end?: number;
}

export type MutationOperator =
  | 'drop-command'
  | 'swap-commands'
  | 'change-number'
  | 'drop-flag'
  | 'non-atomic-switch'
  | 'empty-purge'
  // Module deployers (ts-operators.ts).
  | 'drop-statement'
  | 'swap-statements'
  | 'flip-boolean'
  | 'flip-comparison'
  | 'flip-logical'
  | 'negate-condition'
  | 'empty-array'
  | 'min-max';

/** Lines that are structure, not commands: dropping them breaks the syntax, not the deploy. */
const STRUCTURE =
  /^(#|\}|\{|fi\b|then\b|else\b|elif\b|do\b|done\b|esac\b|;;|local\b|source\b|\.\s|set\b|return\b|exit\b|\)|[A-Za-z_][A-Za-z0-9_]*\(\)\s*\{|if\b|for\b|while\b|case\b|[A-Za-z_][A-Za-z0-9_]*=)/;
/** A line whose command goes on on the next line. */
const CONTINUED = /(\\|\||&&)\s*$/;
/** A line that opens a block (a loop, a branch, a function, a subshell): not a whole command. */
const OPENS = /(\bdo|\bthen|\{|\()\s*$/;
/** Flags whose loss changes what a deploy does (the rest are style). */
const FLAGS = [/ --delete\b/, / --max-time(?:=| )\S+/, / --fail-with-body\b/, / --exclude(?:=| )\S+/, / --parallel-immediate\b/];

/** Code, not a comment or a blank, and not the tail of a command continued from above. */
function isCode(lines: readonly string[], i: number): boolean {
  const t = lines[i]!.trim();
  return !!t && !t.startsWith('#') && !(i > 0 && CONTINUED.test(lines[i - 1]!));
}

/** A whole command on its own line: dropping or moving it leaves the syntax intact. */
function isCommand(lines: readonly string[], i: number): boolean {
  const l = lines[i]!;
  return isCode(lines, i) && !STRUCTURE.test(l.trim()) && !CONTINUED.test(l) && !OPENS.test(l);
}

const indent = (l: string) => l.length - l.trimStart().length;

/**
 * A line that only logs (`echo "deploying …"`, `((n > 1)) && echo "… after ${n} checks"`):
 * changing it changes the output, never the deploy, and its mutants survive saying nothing.
 * An echo of values alone (`echo "${n}"`) is a function's answer, not a log line; an echo into
 * a file or a pipe is work.
 */
const LOG_ECHO = /^\s*(?:(?:\(\(.*\)\)|\[\[.*\]\])\s*(?:\|\||&&)\s*)?echo\s+(.*)$/;

function isLogOnly(line: string): boolean {
  const m = LOG_ECHO.exec(line);
  if (!m || /(?:>\s*["$\w/]|\|)/.test(m[1]!.replace(/>&2\s*$/, ''))) return false;
  // Words of its own beside the values: a message.
  const literal = m[1]!.replace(/\$\{[^}]*\}|\$\([^)]*\)|\$\w+/g, '');
  return /[A-Za-z]{2,}/.test(literal);
}

/** Every mutant of one shell file, in line order. */
export function shellMutants(file: string, text: string): Mutant[] {
  const lines = text.split('\n');
  const out: Mutant[] = [];
  const add = (line: number, operator: MutationOperator, before: string, after: string, n = 0) => {
    if (before !== after)
      out.push({ id: `${file}:${line + 1}:${operator}${n ? `:${n}` : ''}`, file, line: line + 1, operator, before, after });
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!isCode(lines, i) || isLogOnly(l)) continue;
    const pad = ' '.repeat(indent(l));
    if (isCommand(lines, i)) {
      add(i, 'drop-command', l, `${pad}: # mutant: dropped: ${l.trim()}`);
      if (i + 1 < lines.length && isCommand(lines, i + 1) && !isLogOnly(lines[i + 1]!) && indent(lines[i + 1]!) === indent(l))
        add(i, 'swap-commands', `${l}\n${lines[i + 1]}`, `${lines[i + 1]}\n${l}`);
    }
    let n = 0;
    // Not a file descriptor of a redirection (`2>/dev/null`, `>&2`): that is plumbing, not a value.
    for (const m of l.matchAll(/(?<![\w$.{&-])(\d+)(?![\w.}<>])/g)) {
      const v = Number(m[1]);
      const changed = v > 1 ? v - 1 : v + 1;
      add(i, 'change-number', l, l.slice(0, m.index) + String(changed) + l.slice(m.index! + m[1]!.length), ++n);
    }
    n = 0;
    for (const f of FLAGS) if (f.test(l)) add(i, 'drop-flag', l, l.replace(f, ''), ++n);
    const ln = /^(\s*)ln -sfn (\S+) (\S+)\s*$/.exec(l);
    if (ln) add(i, 'non-atomic-switch', l, `${ln[1]}rm -f ${ln[3]}; sleep 0.5; ln -s ${ln[2]} ${ln[3]}`);
    const mv = /^(\s*)mv -Tf (\S+) (\S+)\s*$/.exec(l);
    if (mv) add(i, 'non-atomic-switch', l, `${mv[1]}rm -f ${mv[3]}; sleep 0.5; mv -T ${mv[2]} ${mv[3]}`);
    if (/^\s*purge\s+"\{/.test(l)) add(i, 'empty-purge', l, `${pad}purge '{"files": []}'`);
  }
  return out;
}

/** The file's text with the mutant applied. */
export function applyMutant(text: string, m: Mutant): string {
  const lines = text.split('\n');
  const span = m.before.split('\n').length;
  const at = m.line - 1;
  if (lines.slice(at, at + span).join('\n') !== m.before) throw new Error(`mutant ${m.id} does not match ${m.file} line ${m.line}`);
  lines.splice(at, span, ...m.after.split('\n'));
  return lines.join('\n');
}

/**
 * At most `max` mutants, spread evenly over the list (every operator and every part of the
 * files get some), the same for the same inputs: a budget, not a random draw.
 */
export function sampleMutants(all: readonly Mutant[], max: number): Mutant[] {
  if (all.length <= max) return [...all];
  const step = all.length / max;
  return Array.from({ length: max }, (_, k) => all[Math.floor(k * step)]!);
}
