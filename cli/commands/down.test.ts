import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT, type Io } from '../io.ts';
import { downCommand } from './down.ts';

/**
 * `skew down` signals only the process that holds a kept stack: real processes stand in for an
 * unrelated pid, a process group and a holder, and every case checks who got a signal.
 */
const roots: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const KEPT_TS = join(import.meta.dirname, '..', '..', 'harness', 'run', 'kept.ts');

function project(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'skew down '));
  roots.push(cwd);
  mkdirSync(join(cwd, 'runs', '.kept'), { recursive: true });
  return cwd;
}

function capture(cwd: string): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    env: {},
    cwd,
    isTTY: false,
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    stdout: () => out,
    stderr: () => err,
  };
}

/** A record as an older skew wrote it (no start time, no command line), or with `extra` fields. */
function writeRecord(cwd: string, runId: string, fields: Record<string, unknown>): string {
  const file = join(cwd, 'runs', '.kept', `${runId}.json`);
  const record = { runId, edgeUrl: 'http://127.0.0.1:9', origins: {}, deployRoot: '/nowhere', runDir: join(cwd, 'runs', runId), ...fields };
  writeFileSync(file, JSON.stringify(record, null, 2));
  return file;
}

function track(c: ChildProcess): ChildProcess {
  children.push(c);
  return c;
}

/** A process that is not skew: what a reused or made-up pid names. */
function sleeper(detached = false): ChildProcess {
  return track(spawn('sleep', ['60'], { stdio: 'ignore', detached }));
}

/** Whether the child exits (by a signal or otherwise) within `ms`: a bounded look, never a bare sleep. */
function exitsWithin(c: ChildProcess, ms: number): Promise<boolean> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const timer = setTimeout(() => res(false), ms);
    c.once('exit', () => {
      clearTimeout(timer);
      res(true);
    });
  });
}

/** Starts `node <script> <args>` in `cwd` and resolves once it printed `up` (its record is written). */
async function holder(cwd: string, script: string, args: string[]): Promise<ChildProcess> {
  const c = track(spawn(process.execPath, [script, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
  let said = '';
  await new Promise<void>((res, rej) => {
    c.stdout!.on('data', (d: Buffer) => {
      said += d.toString();
      if (said.includes('up')) res();
    });
    c.stderr!.on('data', (d: Buffer) => {
      said += d.toString();
    });
    c.once('exit', (code) => rej(new Error(`holder exited (${code}) before it was up: ${said}`)));
  });
  return c;
}

/** Holds until SIGTERM and exits 143, as `skew repro --keep` does after its teardown. */
const HOLD = `process.on('SIGTERM', () => process.exit(143));
setInterval(() => {}, 1 << 30);
process.stdout.write('up\\n');
`;

describe('skew down', () => {
  it('leaves an unrelated live process alone: not signalled, nothing said torn down, its record removed', async () => {
    const cwd = project();
    const other = sleeper();
    const file = writeRecord(cwd, 'r-unrelated', { pid: other.pid });
    const io = capture(cwd);
    expect(await downCommand(io)).toBe(EXIT.pass);
    expect(await exitsWithin(other, 500), 'the unrelated process got a signal').toBe(false);
    expect(io.stdout()).not.toContain('torn down');
    expect(io.stderr()).toContain(
      `r-unrelated: pid ${other.pid} is not the skew process that kept this run (it is \`sleep 60\`): not signalled`,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('leaves alone a process whose start time differs from the recorded one (the pid was reused)', async () => {
    const cwd = project();
    const other = sleeper();
    // The command line matches: only the start time tells the reused pid apart.
    writeRecord(cwd, 'r-reused', { pid: other.pid, startTime: '1', cmdline: ['sleep', '60'] });
    const io = capture(cwd);
    expect(await downCommand(io)).toBe(EXIT.pass);
    expect(await exitsWithin(other, 500), 'the process that took the pid over got a signal').toBe(false);
    expect(io.stderr()).toContain(`r-reused: pid ${other.pid} is not the skew process that kept this run (it started later`);
    expect(readdirSync(join(cwd, 'runs', '.kept'))).toEqual([]);
  });

  it('refuses a negative pid (a whole process group): exit 64, the file named and left, nothing signalled', async () => {
    const cwd = project();
    const group = sleeper(true);
    const file = writeRecord(cwd, 'r-group', { pid: -group.pid! });
    const io = capture(cwd);
    expect(await downCommand(io)).toBe(EXIT.usage);
    expect(await exitsWithin(group, 500), 'the process group got a signal').toBe(false);
    expect(io.stderr()).toContain(
      `error INVALID_KEPT_RECORD: ${file} is not a record skew wrote: pid = ${-group.pid!} is not a process id`,
    );
    expect(io.stderr()).toContain('hint: it was skipped and nothing was signalled');
    expect(existsSync(file)).toBe(true);
  });

  it('names a truncated record and skips it; the other records are still handled', async () => {
    const cwd = project();
    const good = writeRecord(cwd, 'r-gone', { pid: 4_194_304 + 7 });
    const truncated = join(cwd, 'runs', '.kept', 'r-cut.json');
    writeFileSync(truncated, '{\n  "runId": "r-cut",\n  "pid": 12');
    const io = capture(cwd);
    expect(await downCommand(io)).toBe(EXIT.usage);
    expect(io.stderr()).toContain(`error INVALID_KEPT_RECORD: ${truncated} is not a record skew wrote: not JSON (`);
    expect(io.stderr()).not.toMatch(/internal error|SyntaxError: .*\n\s+at /);
    expect(io.stderr()).toContain('r-gone: its holder (pid 4194311) is gone');
    expect(existsSync(good)).toBe(false);
    expect(readFileSync(truncated, 'utf8')).toContain('"pid": 12');
  });

  it('names records of the wrong shape (a pid as text, a file named for another run)', async () => {
    const cwd = project();
    const other = sleeper();
    writeRecord(cwd, 'r-text', { pid: String(other.pid) });
    const misnamed = writeRecord(cwd, 'r-elsewhere', { pid: 4_194_311 });
    renameSync(misnamed, join(cwd, 'runs', '.kept', 'r-other.json'));
    const io = capture(cwd);
    expect(await downCommand(io)).toBe(EXIT.usage);
    expect(await exitsWithin(other, 500), 'the process named as text got a signal').toBe(false);
    expect(io.stderr()).toContain(`pid = "${other.pid}" is not a process id (a positive whole number)`);
    expect(io.stderr()).toContain('runId = "r-elsewhere" is not the run its file is named for (r-other)');
  });

  it('tears down a holder that wrote its record as `skew repro --keep` does (start time and command line)', async () => {
    const cwd = project();
    const script = join(cwd, 'hold.mjs');
    writeFileSync(
      script,
      `import { writeKept } from ${JSON.stringify(KEPT_TS)};
await writeKept(process.argv[2], { runId: 'r-held', pid: process.pid, edgeUrl: 'http://127.0.0.1:9', origins: {}, deployRoot: '/nowhere', runDir: process.argv[2] + '/r-held' });
${HOLD}`,
    );
    const held = await holder(cwd, script, [join(cwd, 'runs')]);
    const record = JSON.parse(readFileSync(join(cwd, 'runs', '.kept', 'r-held.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({
      pid: held.pid,
      startTime: expect.stringMatching(/^\d+$/),
      cmdline: [process.execPath, script, join(cwd, 'runs')],
    });
    const io = capture(cwd);
    expect(await downCommand(io), io.stderr()).toBe(EXIT.pass);
    expect(io.stdout()).toContain('r-held: torn down (edge http://127.0.0.1:9)');
    expect(await exitsWithin(held, 5_000)).toBe(true);
    expect(held.exitCode).toBe(143);
    expect(readdirSync(join(cwd, 'runs', '.kept'))).toEqual([]);
  });

  it('tears down the holder of a record an older skew wrote (no start time): a `skew … repro` working in this project', async () => {
    const cwd = project();
    mkdirSync(join(cwd, 'bin'));
    const script = join(cwd, 'bin', 'skew.mjs');
    writeFileSync(script, HOLD);
    const held = await holder(cwd, script, ['repro', 'stale-html', '--keep']);
    writeRecord(cwd, 'r-old', { pid: held.pid });
    const io = capture(cwd);
    expect(await downCommand(io), io.stderr()).toBe(EXIT.pass);
    expect(io.stdout()).toContain('r-old: torn down');
    expect(await exitsWithin(held, 5_000)).toBe(true);
    expect(held.exitCode).toBe(143);
  });

  it('leaves alone a `skew repro` of another project that an older record names', async () => {
    const cwd = project();
    const elsewhere = project();
    mkdirSync(join(elsewhere, 'bin'));
    const script = join(elsewhere, 'bin', 'skew.mjs');
    writeFileSync(script, HOLD);
    const other = await holder(elsewhere, script, ['repro', 'stale-html', '--keep']);
    writeRecord(cwd, 'r-theirs', { pid: other.pid });
    const io = capture(cwd);
    expect(await downCommand(io)).toBe(EXIT.pass);
    expect(await exitsWithin(other, 500), 'the other project’s skew got a signal').toBe(false);
    expect(io.stderr()).toContain(`r-theirs: pid ${other.pid} is not the skew process that kept this run (it works in ${elsewhere}`);
  });
});
