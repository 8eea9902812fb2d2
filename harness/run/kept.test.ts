import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holderOf, type KeptRecord, parseKept, processIdentity, writeKept } from './kept.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const base = {
  runId: 'r1',
  pid: 4242,
  edgeUrl: 'http://127.0.0.1:9',
  origins: { a: 'http://127.0.0.1:8' },
  deployRoot: '/d',
  runDir: '/r',
};
const parse = (r: unknown) => parseKept('/runs/.kept/r1.json', typeof r === 'string' ? r : JSON.stringify(r));

describe('kept records', () => {
  it('takes a record an older skew wrote (no start time) and one with its holder recorded', () => {
    expect(parse(base)).toEqual({ file: '/runs/.kept/r1.json', record: base });
    const now = { ...base, startTime: '123', cmdline: ['node', 'bin/skew.mjs', 'repro', 'x', '--keep'] };
    expect(parse(now)).toEqual({ file: '/runs/.kept/r1.json', record: now });
  });

  it.each([
    ['a process group', { ...base, pid: -4242 }, 'pid = -4242 is not a process id'],
    ['pid 0 (its own group)', { ...base, pid: 0 }, 'pid = 0 is not a process id'],
    ['init', { ...base, pid: 1 }, 'pid = 1 is not a process id'],
    ['a fraction', { ...base, pid: 42.5 }, 'pid = 42.5 is not a process id'],
    ['no pid', { ...base, pid: undefined }, 'pid = undefined is not a process id'],
    ['an edge URL that is a number', { ...base, edgeUrl: 8080 }, 'edgeUrl = 8080 is not a non-empty string'],
    ['origins as a list', { ...base, origins: ['http://x'] }, 'origins = ["http://x"] is not an object of URLs'],
    ['a start time with no command line', { ...base, startTime: '123' }, 'startTime and cmdline are recorded together'],
    ['a start time that is no count', { ...base, startTime: '12s', cmdline: ['node'] }, 'startTime = "12s" is not a count of clock ticks'],
    ['a record of another run', { ...base, runId: 'r2' }, 'runId = "r2" is not the run its file is named for (r1)'],
    ['a list', [base], 'not a JSON object'],
    ['truncated JSON', '{"runId": "r1", "pid": 42', 'not JSON ('],
  ])('names what is wrong with %s', (_, r, problem) => {
    const entry = parse(r);
    expect('invalid' in entry && entry.invalid).toContain(problem);
  });

  it('records its holder’s start time and command line, written whole (no partial file is left)', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'skew kept '));
    roots.push(runs);
    const file = await writeKept(runs, { ...base, pid: process.pid });
    expect(readdirSync(join(runs, '.kept'))).toEqual(['r1.json']);
    const record = JSON.parse(readFileSync(file, 'utf8')) as KeptRecord;
    expect(record.startTime).toBe(processIdentity(process.pid)!.startTime);
    expect(record.cmdline).toEqual(readFileSync('/proc/self/cmdline', 'utf8').split('\0').slice(0, -1));
    // Its own record names the process asking: never signalled by it (`skew down` would end itself).
    expect(holderOf(record, runs)).toEqual({ state: 'other', why: 'it is this `skew down`' });
  });

  it('reads the start time after a process name holding spaces and parentheses', async () => {
    // /proc/<pid>/stat's field 2 is the name in parentheses: `(a) 1 2)` must not shift the fields.
    const plain = spawn('sleep', ['30'], { stdio: 'ignore' });
    const odd = spawn('sh', ['-c', 'printf "a) 1 2" > /proc/self/comm; sleep 30'], { stdio: 'ignore' });
    try {
      await expect.poll(() => readFileSync(`/proc/${odd.pid}/stat`, 'utf8'), { timeout: 5_000 }).toContain('(a) 1 2)');
      expect(processIdentity(odd.pid!)!.cmdline.slice(0, 2)).toEqual(['sh', '-c']);
      // Both started within these few milliseconds: their start times (clock ticks) are close,
      // where a shifted field would be another number (a thread count, a memory size).
      const a = Number(processIdentity(odd.pid!)!.startTime);
      const b = Number(processIdentity(plain.pid!)!.startTime);
      expect(b).toBeGreaterThan(0);
      expect(Math.abs(a - b)).toBeLessThan(500);
    } finally {
      plain.kill('SIGKILL');
      odd.kill('SIGKILL');
    }
  });
});
