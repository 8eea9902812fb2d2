import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Stacks held up by `skew repro --keep`: one JSON file per run under `runs/.kept/`, naming the
 * process that holds it. `skew down` asks that process to tear down (SIGTERM) and waits, but
 * only once it has proved the pid is still that process (see `holderOf`): a pid is reused after
 * its process dies, and a record is a file anyone can edit.
 */
export interface KeptRecord {
  runId: string;
  pid: number;
  edgeUrl: string;
  origins: Record<string, string>;
  deployRoot: string;
  runDir: string;
  /**
   * The holder's start time, in clock ticks after boot (/proc/<pid>/stat field 22), and its
   * command line: together they tell the holder from a later process given the same pid.
   * Absent from records written before skew recorded them (and where there is no /proc).
   */
  startTime?: string;
  cmdline?: string[];
}

export const keptDir = (runsDir: string) => join(runsDir, '.kept');

/** Writes the record, with the start time and command line of its pid when /proc has them. */
export async function writeKept(runsDir: string, r: KeptRecord): Promise<string> {
  await mkdir(keptDir(runsDir), { recursive: true });
  const file = join(keptDir(runsDir), `${r.runId}.json`);
  const id = processIdentity(r.pid);
  const record: KeptRecord = { ...r, ...(id && !r.startTime ? { startTime: id.startTime, cmdline: id.cmdline } : {}) };
  // Written aside and renamed: a `skew down` running meanwhile never reads half a record.
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, `${JSON.stringify(record, null, 2)}\n`);
  await rename(partial, file);
  return file;
}

/** A record file: what it holds, or why it is not a record skew wrote. */
export type KeptEntry = { file: string; record: KeptRecord } | { file: string; invalid: string };

export async function readKept(runsDir: string): Promise<KeptEntry[]> {
  const names = await readdir(keptDir(runsDir)).catch(() => [] as string[]);
  const out: KeptEntry[] = [];
  for (const n of names.filter((x) => x.endsWith('.json')).sort()) {
    const file = join(keptDir(runsDir), n);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    // Removed since the listing (its holder tore down meanwhile): nothing to do.
    if (text === undefined) continue;
    out.push(parseKept(file, text));
  }
  return out;
}

/** Checks every field's type: a record whose pid is not a plain process id is never signalled. */
export function parseKept(file: string, text: string): KeptEntry {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { file, invalid: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { file, invalid: 'not a JSON object' };
  const r = v as Record<string, unknown>;
  const problems: string[] = [];
  const show = (x: unknown) => JSON.stringify(x) ?? String(x);
  // 0 and negative numbers are process groups to kill(2), and 1 is init: never a holder.
  if (!(Number.isSafeInteger(r.pid) && (r.pid as number) > 1))
    problems.push(`pid = ${show(r.pid)} is not a process id (a positive whole number)`);
  for (const k of ['runId', 'edgeUrl', 'deployRoot', 'runDir'] as const)
    if (typeof r[k] !== 'string' || r[k] === '') problems.push(`${k} = ${show(r[k])} is not a non-empty string`);
  const stem = basename(file, '.json');
  if (typeof r.runId === 'string' && r.runId !== '' && r.runId !== stem)
    problems.push(`runId = ${show(r.runId)} is not the run its file is named for (${stem})`);
  if (
    typeof r.origins !== 'object' ||
    r.origins === null ||
    Array.isArray(r.origins) ||
    Object.values(r.origins).some((u) => typeof u !== 'string')
  )
    problems.push(`origins = ${show(r.origins)} is not an object of URLs`);
  if (r.startTime !== undefined && !(typeof r.startTime === 'string' && /^\d+$/.test(r.startTime)))
    problems.push(`startTime = ${show(r.startTime)} is not a count of clock ticks`);
  if (r.cmdline !== undefined && !(Array.isArray(r.cmdline) && r.cmdline.length > 0 && r.cmdline.every((a) => typeof a === 'string')))
    problems.push(`cmdline = ${show(r.cmdline)} is not a command line (a non-empty list of strings)`);
  // Recorded together: a start time alone cannot tell what the process was.
  if ((r.startTime === undefined) !== (r.cmdline === undefined)) problems.push('startTime and cmdline are recorded together, or neither');
  if (problems.length) return { file, invalid: problems.join('; ') };
  return { file, record: r as unknown as KeptRecord };
}

/** What /proc says of a live process: enough to recognise it later, and what to call it. */
export interface ProcessIdentity {
  startTime: string;
  cmdline: string[];
  /** Exited, not yet reaped by its parent: it holds nothing any more. */
  zombie: boolean;
}

/** undefined when there is no such process, or /proc cannot be read (another OS, hidepid). */
export function processIdentity(pid: number): ProcessIdentity | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the name) is in parentheses and may itself hold spaces and ')': count the
    // fields after the last ')', where field 3 (the state) is the first.
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTime = after[22 - 3];
    if (!startTime || !/^\d+$/.test(startTime)) return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (cmdline.at(-1) === '') cmdline.pop();
    return { startTime, cmdline, zombie: after[0] === 'Z' };
  } catch {
    return undefined;
  }
}

/**
 * Whether the record's pid is still the skew process that wrote it:
 * - `holder`: it is; only then may it be signalled;
 * - `gone`: no such process (or one that exited and waits to be reaped);
 * - `other`: a live process that is not the holder (the pid was reused, or the record names
 *   something else), with why;
 * - `unknown`: alive, but /proc cannot say what it is.
 * A record with a start time must match it and the command line exactly. An older record (no
 * start time) needs a skew `repro` command line working in the folder whose `runs/` holds the run.
 */
export type Holder = { state: 'holder' } | { state: 'gone' } | { state: 'other'; why: string } | { state: 'unknown'; why: string };

export function holderOf(record: KeptRecord, runsDir: string): Holder {
  if (!alive(record.pid)) return { state: 'gone' };
  const id = processIdentity(record.pid);
  if (!id) return { state: 'unknown', why: `/proc/${record.pid}/stat cannot be read` };
  if (id.zombie) return { state: 'gone' };
  const now = id.cmdline.join(' ') || '?';
  if (record.pid === process.pid) return { state: 'other', why: `it is this \`skew down\`` };
  if (record.startTime !== undefined) {
    if (id.startTime !== record.startTime)
      return {
        state: 'other',
        why: `it started ${Number(id.startTime) > Number(record.startTime) ? 'later' : 'at another time'} than the holder: \`${now}\``,
      };
    if (JSON.stringify(id.cmdline) !== JSON.stringify(record.cmdline)) return { state: 'other', why: `it is \`${now}\`` };
    return { state: 'holder' };
  }
  const names = id.cmdline.slice(0, 3).some((a) => /^skew(\.mjs)?$/.test(basename(a)));
  if (!(names && id.cmdline.includes('repro'))) return { state: 'other', why: `it is \`${now}\`` };
  let cwd: string;
  try {
    cwd = readlinkSync(`/proc/${record.pid}/cwd`);
  } catch {
    return { state: 'unknown', why: `/proc/${record.pid}/cwd cannot be read` };
  }
  // `skew repro` keeps its runs in <its working folder>/runs; /proc shows that folder's real path.
  const project = dirname(resolve(runsDir));
  if (cwd !== (safeRealpath(project) ?? project)) return { state: 'other', why: `it works in ${cwd}, not in ${dirname(runsDir)}` };
  return { state: 'holder' };
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function removeKept(file: string): Promise<void> {
  await rm(file, { force: true });
}
