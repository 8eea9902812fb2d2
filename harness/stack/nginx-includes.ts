import { basename, isAbsolute, normalize } from 'node:path';

/**
 * The deployer's nginx includes, vetted before the origin nginx (or the rolling world's ingress)
 * loads them: nginx reads them as part of its own configuration, so without this a deployer
 * reaches through them what its sandbox denies it (measured: `access_log /somewhere/outside`
 * wrote there, `proxy_pass` reached a loopback port that is not the stack's, `alias
 * /etc/hostname` was served). Pure: the caller reads the files and writes the vetted copies.
 *
 * - log files outside the deploy root (a team's real `/var/log/nginx/…`) are rewritten into the
 *   origin's own logs folder, saying so;
 * - `root`/`alias` outside the deploy root, `include`, directives that load code or reach the
 *   network on their own (`load_module`, `js_*`, `perl_*`, `*_by_lua*`, `resolver`, syslog), and
 *   any upstream address that is not one of the stack's ports on 127.0.0.1, are refused.
 */
export interface IncludePolicy {
  /** What `root`, `alias` and log paths may name (absolute). */
  deployRoot: string;
  /** Where a log path outside the deploy root is written instead. */
  logsDir: string;
  /** The stack's servers: the ports an upstream address may name on 127.0.0.1. */
  ports: ReadonlySet<number>;
  /** Variables and upstreams skew's own configuration defines ($skew_backend, skew_service, …). */
  skewVariables: ReadonlySet<string>;
  skewUpstreams: ReadonlySet<string>;
}

export interface VettedFile {
  /** As the deployer names it: `nginx/server.d/x.conf`. */
  name: string;
  text: string;
}

export interface Vetting {
  files: VettedFile[];
  /** What was rewritten and why: `nginx/server.d/x.conf:3: access_log /var/log/… → …`. */
  rewrites: string[];
  /** What was refused and why; any refusal means nothing is loaded. */
  refusals: string[];
}

interface Token {
  text: string;
  /** Without quotes and escapes, as nginx reads it. */
  value: string;
  start: number;
  end: number;
  line: number;
}

interface Statement {
  name: Token;
  args: Token[];
  /** Names of the blocks it sits in, outermost first (`map`, `upstream`, `location`, …). */
  context: string[];
  /** It opens a block (`{`) rather than ending with `;`. */
  block: boolean;
}

/** Blocks whose entries are data (a key and a value), not directives. */
const DATA_BLOCKS = new Set(['map', 'geo', 'split_clients', 'types', 'charset_map', 'match']);
/** Directives that connect to an upstream: their address must be the stack's. */
const PASS = /^(proxy|fastcgi|uwsgi|scgi|grpc|memcached)_pass$/;
/** Directives that load code, or reach the network or files on their own. */
const REFUSED =
  /^(load_module|include|resolver|env|js_.*|perl.*|.*_by_lua.*|lua_.*|ssl_engine|mirror|proxy_bind|.*_cache_path|.*_temp_path|ssl_.*|auth_basic_user_file|.*_certificate.*|.*_trusted_certificate|.*_crl|.*_password_file)$/;
const WHY: Record<string, string> = {
  include: 'an included file is not vetted: put its directives in the http.d/ or server.d/ file itself',
  resolver: 'the stack is loopback only: no DNS',
  mirror: 'a mirror sends requests to another location, unchecked',
};
const LOOPBACK = /^(127\.0\.0\.1|localhost)$/;

/** Vets every include file at once; `files` holds the texts to load when `refusals` is empty. */
export function vetIncludes(files: readonly VettedFile[], policy: IncludePolicy): Vetting {
  const parsed = files.map((f) => ({ file: f, ...parse(f.text) }));
  const rewrites: string[] = [];
  const refusals: string[] = [];
  for (const p of parsed) if (p.error) refusals.push(`${p.file.name}: ${p.error}`);
  const all = parsed.flatMap((p) => p.statements.map((s) => ({ file: p.file.name, s })));
  // Variables the includes define: a pass target may use them if every value they can take is.
  const defs = new Map<string, string[]>();
  const upstreams = new Set(policy.skewUpstreams);
  for (const { s } of all) {
    const n = s.name.value;
    const define = (name: string, values: string[]) => {
      const key = name.replace(/^\$/, '');
      defs.set(key, [...(defs.get(key) ?? []), ...values]);
    };
    if (n === 'map' && s.block && s.args[1]) define(s.args[1].value, []);
    if (n === 'set' && !s.block && s.args[0]) define(s.args[0].value, [s.args[1]?.value ?? '']);
    if (n === 'upstream' && s.block && s.args[0]) upstreams.add(s.args[0].value);
    const map = s.context.at(-1);
    if (map?.startsWith('map ') && !s.block) define(map.slice(4), [s.args.at(-1)?.value ?? '']);
  }
  const safeVar = (name: string, seen = new Set<string>()): boolean => {
    if (seen.has(name)) return true;
    seen.add(name);
    const values = defs.get(name);
    if (!values) return policy.skewVariables.has(name);
    return values.every((v) => variablesIn(v).every((x) => safeVar(x, seen)));
  };

  const edits = new Map<string, { start: number; end: number; text: string }[]>();
  for (const { file, s } of all) {
    const where = `${file}:${s.name.line}`;
    const n = s.name.value;
    const inData = DATA_BLOCKS.has(s.context.at(-1)?.split(' ')[0] ?? '');
    const refuse = (why: string) => refusals.push(`${where}: ${show(s)}: ${why}`);
    // Addresses anywhere a connection is made or a map decides one: the stack's ports only.
    const targets = PASS.test(n)
      ? s.args.slice(0, 1)
      : n === 'server' && s.context.at(-1)?.startsWith('upstream ')
        ? s.args.slice(0, 1)
        : inData || n === 'set'
          ? s.args.slice(-1)
          : [];
    for (const t of targets) {
      const problem = addressProblem(t.value, policy, upstreams, PASS.test(n), safeVar);
      if (problem) refuse(problem);
    }
    if (inData) continue;
    if (REFUSED.test(n)) refuse(WHY[n] ?? 'it loads code or reaches files or the network outside the deploy root');
    else if (n === 'root' || n === 'alias') {
      const problem = pathProblem(s.args[0]?.value ?? '', policy.deployRoot);
      if (problem) refuse(problem);
    } else if (n === 'access_log' || n === 'error_log') {
      const target = s.args[0];
      if (!target || target.value === 'off' || target.value === 'stderr' || target.value.startsWith('memory:')) continue;
      if (target.value.startsWith('syslog:')) {
        refuse('syslog reaches the network: log to a file');
        continue;
      }
      if (target.value.includes('$')) {
        refuse('a log path with variables may name any file: give a plain path');
        continue;
      }
      if (!pathProblem(target.value, policy.deployRoot)) continue;
      const instead = `${policy.logsDir}/deployer-${basename(target.value).replace(/[^\w.-]/g, '_') || 'log'}`;
      rewrites.push(`${where}: ${n} ${target.value} → ${instead} (outside the deploy root)`);
      edits.set(file, [...(edits.get(file) ?? []), { start: target.start, end: target.end, text: JSON.stringify(instead) }]);
    }
  }
  const out = files.map((f) => ({ name: f.name, text: applyEdits(f.text, edits.get(f.name) ?? []) }));
  return { files: out, rewrites, refusals };
}

/** Why a connection target is not the stack's, or undefined. */
function addressProblem(
  value: string,
  policy: IncludePolicy,
  upstreams: ReadonlySet<string>,
  pass: boolean,
  safeVar: (name: string) => boolean,
): string | undefined {
  if (value === '' || value === 'off') return undefined;
  const rest = value.replace(/^(https?|grpcs?):\/\//, '');
  if (rest.startsWith('unix:')) return 'a Unix socket is not the stack: route to a port of the stack on 127.0.0.1';
  const hostPort = rest.split('/')[0]!;
  const vars = variablesIn(hostPort);
  // A variable in a map's or set's value is judged where it is used to connect.
  if (vars.length && !pass) return undefined;
  if (vars.length) {
    const unsafe = vars.filter((v) => !safeVar(v));
    return unsafe.length
      ? `$${unsafe.join(', $')} may come from the request: an upstream address must come from a map or set of fixed addresses`
      : undefined;
  }
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) return pass ? `${hostPort} is not an address` : undefined;
  const [, host, port] = m;
  // A map value that is no address (an id, a flag) decides nothing about connections.
  if (!pass && !port && !LOOPBACK.test(host!) && !/^\d+\.\d+\.\d+\.\d+$/.test(host!) && !host!.startsWith('[')) return undefined;
  if (!port && pass && upstreams.has(host!)) return undefined;
  if (!LOOPBACK.test(host!)) return `${hostPort} is not the stack: only its servers on 127.0.0.1 may be reached`;
  if (!port || !policy.ports.has(Number(port)))
    return `port ${port ?? 80} is not one of the stack's servers (${[...policy.ports].sort((a, b) => a - b).join(', ') || 'none yet'})`;
  return undefined;
}

/** Why a path is not inside the deploy root, or undefined. */
function pathProblem(path: string, deployRoot: string): string | undefined {
  const literal = path.split('$')[0]!;
  if (!isAbsolute(literal)) return `${path} is not an absolute path inside the deploy root (${deployRoot})`;
  if (path.split('/').includes('..')) return `${path} climbs with ..`;
  const root = normalize(deployRoot).replace(/\/$/, '');
  const n = normalize(literal);
  const inside = n === root || n === `${root}/` || n.startsWith(`${root}/`) || (path.includes('$') && n === `${root}`);
  return inside ? undefined : `${path} is outside the deploy root (${deployRoot})`;
}

function variablesIn(text: string): string[] {
  return [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]!);
}

function show(s: Statement): string {
  const line = [s.name.text, ...s.args.map((a) => a.text)].join(' ');
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

function applyEdits(text: string, edits: readonly { start: number; end: number; text: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** nginx's configuration syntax: words, quoted strings, `;`, `{`, `}`, `#` comments. */
export function parse(text: string): { statements: Statement[]; error?: string } {
  const statements: Statement[] = [];
  const stack: string[] = [];
  let words: Token[] = [];
  let line = 1;
  let i = 0;
  const end = (block: boolean) => {
    const [name, ...args] = words;
    if (name) statements.push({ name, args, context: [...stack], block });
    if (block)
      stack.push(
        name
          ? [name.value, ...args.map((a) => a.value)]
              .slice(0, name.value === 'map' ? 3 : 2)
              .join(' ')
              .replace(/^map \S+ /, 'map ')
          : '',
      );
    words = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';') {
      end(false);
      i++;
      continue;
    }
    if (c === '{') {
      end(true);
      i++;
      continue;
    }
    if (c === '}') {
      if (words.length) return { statements, error: `line ${line}: a directive without ; before }` };
      if (!stack.length) return { statements, error: `line ${line}: } without {` };
      stack.pop();
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    let value = '';
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i + 1] === c ? c : text.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        value += text[i++];
      }
      if (i >= text.length) return { statements, error: `line ${startLine}: an unterminated string` };
      i++;
    } else {
      while (i < text.length && !/[\s;{}]/.test(text[i]!) && !(text[i] === '#' && i === start)) {
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text.slice(i, i + 2);
          i += 2;
          continue;
        }
        value += text[i++];
      }
    }
    words.push({ text: text.slice(start, i), value, start, end: i, line: startLine });
  }
  if (words.length) return { statements, error: `line ${line}: a directive without ; at the end` };
  if (stack.length) return { statements, error: `a { without its }` };
  return { statements };
}
