import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../test/temp-dirs.ts';

const temp = tempDirs();

/** The real process: how it ends (exit code, what reaches stdout) is bin/skew.mjs's business. */
const BIN = resolve(import.meta.dirname, '../bin/skew.mjs');
const env = { ...process.env, NO_COLOR: '1' };

function skew(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

/** Through `sh`, for what spawn cannot set up: a closed fd, a redirection, a pipe to a slow reader. */
function sh(script: string) {
  return spawnSync('sh', ['-c', script], {
    cwd: import.meta.dirname,
    env: { ...env, NODE: process.execPath, BIN },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

// Each spawn starts tsx from cold: seconds each on a busy machine.
describe('bin/skew.mjs, the real process', { timeout: 60_000 }, () => {
  it('process.exit in skew.config.ts or in a deployer module on import exits 70 naming the caller, never 0', () => {
    const config = temp('skew-bin-config-');
    writeFileSync(join(config, 'skew.config.ts'), "const x: number = 0;\nprocess.exit(x);\nexport default { cdn: 'process' };\n");
    const a = skew(['run', 'roll-forward'], config);
    expect(a.status, a.stderr).toBe(70);
    expect(a.stderr).toContain(`error EXIT_CALLED: process.exit(0) was called at ${join(config, 'skew.config.ts')}:2 while \`skew run\``);

    const cwd = temp('skew-bin-module-');
    writeFileSync(join(cwd, 'deploy.mjs'), 'process.exit(0);\nexport default {};\n');
    const b = skew(['run', 'roll-forward', '--deployer', './deploy.mjs'], cwd);
    expect(b.status, b.stderr).toBe(70);
    expect(b.stderr).toContain(`error EXIT_CALLED: process.exit(0) was called at ${join(cwd, 'deploy.mjs')}:1`);
    // Nothing of a run is left claiming to be alive.
    const runs = join(cwd, 'runs');
    for (const id of existsSync(runs) ? readdirSync(runs) : []) expect(existsSync(join(runs, id, 'running.pid'))).toBe(false);
  });

  it('an exit the guard cannot turn into a throw (from a timer) still ends 70, naming the caller', () => {
    const cwd = temp('skew-bin-timer-');
    writeFileSync(join(cwd, 'deploy.mjs'), 'setTimeout(() => process.exit(0), 10);\nawait new Promise(() => {});\nexport default {};\n');
    const r = skew(['run', 'roll-forward', '--deployer', './deploy.mjs'], cwd);
    expect(r.status, r.stderr).toBe(70);
    expect(r.stderr).toContain(`error EXIT_CALLED: process.exit(0) was called at ${join(cwd, 'deploy.mjs')}:1`);
  });

  it('an answer lost on stdout is a failure: a full device (69); a closed stdout is warned of; /dev/null on purpose is fine', () => {
    for (const script of ['exec "$NODE" "$BIN" list --json >/dev/full', 'exec "$NODE" "$BIN" explain roll-forward >/dev/full']) {
      const r = sh(script);
      expect(r.status, `${script}: ${r.stderr}`).toBe(69);
      expect(r.stderr).toContain('error OUTPUT_LOST: the answer could not be written to stdout: ENOSPC');
    }
    const closed = sh('exec "$NODE" "$BIN" list --json >&-');
    expect(closed.status, closed.stderr).toBe(0);
    expect(closed.stderr).toContain('warning: stdout is closed or discarded');
    // A parent that ignores the output is no failure (it was 69: indistinguishable from >&-).
    const ignored = spawnSync(process.execPath, [BIN, '--help'], { stdio: 'ignore' });
    expect(ignored.status).toBe(0);
    const discarded = sh('exec "$NODE" "$BIN" list --json >/dev/null');
    expect(discarded.status, discarded.stderr).toBe(0);
    expect(discarded.stderr).toBe('');
  });

  it('a slow reader of a pipe gets the whole answer (more than a pipe buffer holds)', () => {
    const whole = sh('exec "$NODE" "$BIN" list --json');
    expect(whole.status).toBe(0);
    expect(Buffer.byteLength(whole.stdout)).toBeGreaterThan(65_536);
    // Slow from the first byte on (a sleep from the start could end before tsx has even started).
    const slow = '"$NODE" "$BIN" list --json | { dd bs=1 count=1 2>/dev/null; sleep 2; cat; } | wc -c';
    const counted = sh(slow).stdout.trim();
    expect(Number(counted)).toBe(Buffer.byteLength(whole.stdout));
    // A reader that leaves early ends it as SIGPIPE does, without a word about a teardown.
    const early = sh('{ "$NODE" "$BIN" list --json; echo "skew: $?" >&2; } | head -c 10 >/dev/null');
    expect(early.stderr).toBe('skew: 141\n');
  });
});
