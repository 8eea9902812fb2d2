import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import type { Io } from './io.ts';
import { tempDirs } from '../test/temp-dirs.ts';

const temp = tempDirs();

function io(env: Record<string, string> = {}): Io & { stdout: string; stderr: string } {
  const r = {
    stdout: '',
    stderr: '',
    env,
    cwd: '/nonexistent',
    isTTY: false,
    out: (t: string) => {
      r.stdout += t;
    },
    err: (t: string) => {
      r.stderr += t;
    },
  };
  return r;
}

describe('skew CLI (in-process)', () => {
  it('lists scenarios and deployers as JSON', async () => {
    const t = io();
    expect(await main(['list', '--json'], t)).toBe(0);
    const parsed = JSON.parse(t.stdout) as { scenarios: { name: string }[]; deployers: { name: string }[] };
    expect(parsed.scenarios.map((s) => s.name)).toEqual(
      expect.arrayContaining(['roll-forward', 'roll-back', 'keep-releases', 'stale-html']),
    );
    expect(parsed.deployers.map((d) => d.name)).toEqual(expect.arrayContaining(['releases-symlink', 'replace-in-place', 'prune-to-one']));
  });

  it('explains a scenario: its seed, its steps, what each check means and how to fix the deployer', async () => {
    const t = io();
    expect(await main(['explain', 'cached-404'], t)).toBe(0);
    expect(t.stdout).toContain('Seed: rollback-nextjs-static-assets');
    expect(t.stdout).toMatch(/ 3\. deploy B \(a visitor loads \/ mid-deploy\)/);
    expect(t.stdout).toMatch(/no-cached-404: no \/_next\/static 404 was served from the edge cache\n\s+if it fails: never let a 404/);
    expect(t.stdout).toContain('html-before-static → fail (static-before-html, no-cached-404, content-renders)');
    const json = io();
    expect(await main(['explain', 'retention-3', '--json'], json)).toBe(0);
    expect((JSON.parse(json.stdout) as { checks: { name: string; ifItFails: string }[] }).checks.map((c) => c.name)).toEqual([
      'survival-by-age',
      'referenced-objects-kept',
      'bucket-scoped',
      'retention-enforced',
    ]);
    expect(await main(['explain', 'nope'], io())).toBe(64);
  });

  it('reads skew.config from the working directory and exits 64 naming the file and key of a bad value', async () => {
    const d = temp('skew-cli-config-');
    writeFileSync(join(d, 'skew.config.json'), '{"cdn":"cloud"}');
    const t = io();
    t.cwd = d;
    expect(await main(['run', 'roll-forward'], t)).toBe(64);
    expect(t.stderr).toContain(`${join(d, 'skew.config.json')}: cdn = "cloud" is not valid`);
  });

  it('refuses --next before anything starts: with --app, a range, and Next 14 (React 18) with the way out', async () => {
    const a = io();
    expect(await main(['run', 'roll-forward', '--next', '15.5.29', '--app', '/nonexistent'], a)).toBe(64);
    expect(a.stderr).toContain('--next is for the fixture app');
    const b = io();
    expect(await main(['run', 'roll-forward', '--next', '^15'], b)).toBe(64);
    expect(b.stderr).toMatch(/--next = "\^15" is not valid/);
    const c = io();
    expect(await main(['run', 'roll-forward', '--next', '14.2.35'], c)).toBe(64);
    expect(c.stderr).toMatch(/React 18[\s\S]*with-context-api-next14/);
  });

  it('with --json, a refusal prints a JSON error object on stdout (the same code and hint as stderr)', async () => {
    const a = io();
    expect(await main(['run', 'nope', '--json'], a)).toBe(64);
    expect(JSON.parse(a.stdout)).toMatchObject({
      error: { code: 'UNKNOWN_SCENARIO', kind: 'input', exitCode: 64, hint: expect.stringContaining('skew list') },
    });
    const b = io({ SKEW_JSON: '1' });
    expect(await main(['run', 'roll-forward', '--app', '/nonexistent/app'], b)).toBe(64);
    expect(JSON.parse(b.stdout)).toMatchObject({ error: { code: 'INVALID_APP' } });
    const c = io();
    expect(await main(['run', '--no-such-flag', '--json'], c)).toBe(64);
    expect(JSON.parse(c.stdout)).toMatchObject({ error: { code: 'INVALID_OPTION', exitCode: 64 } });
    const d = io();
    expect(await main(['run', 'nope'], d)).toBe(64);
    expect(d.stdout).toBe('');
  });

  it('exits 64 with a coded error and a hint for an unknown scenario, deployer or option value', async () => {
    const a = io();
    expect(await main(['run', 'nope'], a)).toBe(64);
    expect(a.stderr).toMatch(/error UNKNOWN_SCENARIO: unknown scenario "nope"\nhint: run `skew list`/);
    const b = io();
    expect(await main(['run', 'roll-forward', '--deployer', 'yolo'], b)).toBe(64);
    expect(b.stderr).toContain('error INVALID_OPTION: --deployer = "yolo" is not valid');
    const c = io({ SKEW_CDN: 'k8s' });
    expect(await main(['run', 'roll-forward'], c)).toBe(64);
    expect(c.stderr).toContain('$SKEW_CDN = "k8s"');
  });

  it('refuses a bad --shard, --workers or --junit path before anything starts; an empty shard runs nothing and passes', async () => {
    const a = io();
    expect(await main(['run', 'roll-forward', '--shard', '3/2'], a)).toBe(64);
    expect(a.stderr).toContain('error INVALID_OPTION: --shard = "3/2" is not a shard: expected i/n with 1 ≤ i ≤ n ≤ 1000');
    const b = io({ SKEW_WORKERS: '0' });
    expect(await main(['run', 'roll-forward'], b)).toBe(64);
    expect(b.stderr).toContain('$SKEW_WORKERS = "0" is not valid: at least 1 worker');
    const folder = temp('skew-deployer-dir-');
    const k = io();
    expect(await main(['run', 'roll-forward', '--deployer', folder], k)).toBe(64);
    expect(k.stderr).toContain(`error UNKNOWN_DEPLOYER: deployer ${folder} is a folder, not a file`);
    expect(k.stderr).toContain(`hint: give the script or module inside it (e.g. ${folder}/deploy.sh)`);
    const j = io();
    expect(await main(['run', 'roll-forward', '--junit', '/proc/nope/j.xml'], j)).toBe(64);
    expect(j.stderr).toContain('error INVALID_OPTION: --junit /proc/nope/j.xml: cannot write there (cannot create /proc/nope: ENOENT)');
    const d = io();
    expect(await main(['run', 'roll-forward', '--shard', '2/2'], d)).toBe(0);
    expect(d.stderr).toContain('shard 2/2: 0 of 1 scenario(s)');
    expect(d.stdout).toBe('');
  });

  it('says what a --deployer that is no file is (a FIFO, a device), and what an --app that is no folder is', async () => {
    const dir = temp('skew-deployer-kinds-');
    const fifo = join(dir, 'deploy.sh');
    execFileSync('mkfifo', [fifo]);
    for (const [path, said] of [
      [fifo, `error UNKNOWN_DEPLOYER: deployer ${fifo} is a FIFO, not a file`],
      ['/dev/null', 'error UNKNOWN_DEPLOYER: deployer /dev/null is a device, not a file'],
    ] as const) {
      const t = io();
      expect(await main(['run', 'roll-forward', '--deployer', path], t), t.stderr).toBe(64);
      expect(t.stderr).toContain(said);
      expect(t.stderr).toContain('hint: give the path of a script or a JS/TS module');
    }
    const file = join(dir, 'package.json');
    writeFileSync(file, '{}');
    for (const [app, said] of [
      [file, `error INVALID_APP: app ${file} is a file, not a folder`],
      [join(dir, 'nope'), `error INVALID_APP: app folder ${join(dir, 'nope')} does not exist`],
    ] as const) {
      const t = io();
      expect(await main(['run', 'roll-forward', '--app', app], t), t.stderr).toBe(64);
      expect(t.stderr).toContain(said);
    }
  });

  it('a deployer module that does not load is invalid input, a runs/ that is a file an environment error: coded, no stack trace', async () => {
    const dir = temp('skew deployer module ü-');
    writeFileSync(join(dir, 'syntax.ts'), 'export default { name: "x", deploy( };\n');
    writeFileSync(join(dir, 'throws.ts'), 'throw new Error("no DEPLOY_TOKEN set");\nexport default {};\n');
    for (const [file, why] of [
      ['syntax.ts', /failed to load: (SyntaxError|TransformError|Error): /],
      ['throws.ts', /failed to load: Error: no DEPLOY_TOKEN set/],
    ] as const) {
      const t = io();
      expect(await main(['run', 'roll-forward', '--deployer', join(dir, file)], t), t.stderr).toBe(64);
      expect(t.stderr).toMatch(
        new RegExp(`error INVALID_OPTION: deployer module ${join(dir, file).replace(/[.*+?^$()|[\]\\]/g, '\\$&')} ${why.source}`),
      );
      expect(t.stderr).toContain('hint: run `node');
      expect(t.stderr).not.toMatch(/^\s+at /m);
    }
    const cwd = temp('skew-runs-file-');
    writeFileSync(join(cwd, 'runs'), 'not a folder');
    const r = io();
    r.cwd = cwd;
    expect(await main(['run', 'stale-html'], r)).toBe(69);
    expect(r.stderr).toContain(`error RUNS_FOLDER_UNUSABLE: skew cannot write its runs to ${cwd}/runs (${cwd}/runs is not a folder)`);
  });

  it('process.exit in a config file or a deployer module is an internal error (70) naming its caller, also when caught', async () => {
    // Each in its own folder: a module is imported once per path.
    const exits = temp('skew-exit-config-');
    writeFileSync(join(exits, 'skew.config.mjs'), 'process.exit(0);\nexport default {};\n');
    const a = io();
    a.cwd = exits;
    expect(await main(['run', 'roll-forward', '--json'], a), a.stderr).toBe(70);
    expect(JSON.parse(a.stdout)).toMatchObject({ error: { code: 'EXIT_CALLED', kind: 'internal', exitCode: 70 } });
    expect(a.stderr).toContain(
      `error EXIT_CALLED: process.exit(0) was called at ${join(exits, 'skew.config.mjs')}:1 while \`skew run\` was running`,
    );
    // Caught, and the command then passes (an empty shard runs nothing): still not a pass.
    const catches = temp('skew-exit-caught-');
    writeFileSync(join(catches, 'skew.config.mjs'), 'try {\n  process.exit(0);\n} catch {}\nexport default {};\n');
    const b = io();
    b.cwd = catches;
    expect(await main(['run', 'roll-forward', '--shard', '2/2'], b), b.stderr).toBe(70);
    expect(b.stderr).toContain(`process.exit(0) was called at ${join(catches, 'skew.config.mjs')}:2`);
    const mod = join(temp('skew-exit-module-'), 'deployer.mjs');
    writeFileSync(mod, 'export default {};\n\nprocess.exit();\n');
    const c = io();
    expect(await main(['run', 'roll-forward', '--deployer', mod], c), c.stderr).toBe(70);
    expect(c.stderr).toContain(`error EXIT_CALLED: process.exit() was called at ${mod}:3 while \`skew run\` was running`);
    expect(c.stderr).not.toContain('INVALID_OPTION');
  });

  it('a scenario named for a world it does not declare is refused before anything starts', async () => {
    const t = io();
    expect(await main(['run', 'keep-releases', '--world', 'rolling'], t)).toBe(64);
    expect(t.stderr).toContain(
      'error INVALID_OPTION: not in the rolling world: keep-releases (worlds pinned, single-origin; deployment ids on)',
    );
    const p = io();
    expect(await main(['run', 'rolling-canary', '--world', 'single-origin'], p)).toBe(64);
    expect(p.stderr).toContain('error INVALID_OPTION: not in the single-origin world: rolling-canary (worlds pinned; deployment ids on)');
    const v = io({ SKEW_WORLD: 'k8s' });
    expect(await main(['run', 'roll-forward'], v)).toBe(64);
    expect(v.stderr).toContain('$SKEW_WORLD = "k8s" is not valid');
  });

  it('skew probe rejects what is not a URL, and says when a site cannot be reached', async () => {
    const a = io();
    expect(await main(['probe', 'not a url'], a)).toBe(64);
    expect(a.stderr).toContain('error INVALID_OPTION: "not a url" is not a URL');
    const f = io();
    expect(await main(['probe', 'ftp://127.0.0.1/'], f)).toBe(64);
    expect(f.stderr).toContain('error INVALID_OPTION: "ftp://127.0.0.1/" is not an http(s) URL');
    const b = io();
    // Port 9 (discard) on loopback: nothing listens there.
    expect(await main(['probe', 'http://127.0.0.1:9/'], b)).toBe(69);
    expect(b.stderr).toContain('error ORIGIN_FAILED: cannot reach http://127.0.0.1:9/');
    const t = io();
    expect(await main(['probe', 'http://127.0.0.1:9/', '--timeout', '0'], t)).toBe(64);
    expect(t.stderr).toContain('error INVALID_OPTION: --timeout 0 is not valid');
  });

  it('skew probe gives up on a server that accepts and never answers, with a coded error naming the flag', async () => {
    // A real TCP server on loopback that takes the connection and never writes a byte.
    const sockets: Socket[] = [];
    const server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const h = io();
      const started = Date.now();
      expect(await main(['probe', `http://127.0.0.1:${port}/`, '--timeout', '0.5'], h)).toBe(69);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(h.stderr).toContain(`error PROBE_TIMEOUT: http://127.0.0.1:${port}/: a request got no answer within 0.5 s`);
      expect(h.stderr).toContain('skew probe --timeout <seconds>');
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('skew mutate refuses what it cannot mutate before anything runs', async () => {
    const a = io();
    expect(await main(['mutate'], a)).toBe(64);
    expect(a.stderr).toContain('error INVALID_OPTION: --deployer is required');
    const b = io();
    expect(await main(['mutate', '--deployer', './nope.ts', 'retention-3'], b)).toBe(64);
    expect(b.stderr).toContain('error UNKNOWN_DEPLOYER: deployer file');
    const c = io();
    expect(await main(['mutate', '--deployer', 'releases-symlink', '--max-mutants', '0'], c)).toBe(64);
    expect(c.stderr).toContain('--max-mutants = "0" is not valid');
    const d = io();
    expect(await main(['mutate', '--deployer', 'releases-symlink', 'roll-forward', '--match', 'no such line'], d)).toBe(64);
    expect(d.stderr).toContain('no mutant of releases-symlink matches "no such line"');
  });

  it('a boolean SKEW_* with a value that is neither yes nor no is refused naming it; SKEW_JSON=yes means JSON', async () => {
    // --shard 2/2 of one scenario runs nothing: before, the bad value was read as false and this passed.
    const c = io({ SKEW_CONTROL: 'maybe' });
    expect(await main(['run', 'roll-forward', '--shard', '2/2'], c)).toBe(64);
    expect(c.stderr).toContain('error INVALID_OPTION: $SKEW_CONTROL = "maybe" is not valid: a yes or a no');
    const j = io({ SKEW_JSON: 'yes' });
    expect(await main(['run', 'nope'], j)).toBe(64);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'UNKNOWN_SCENARIO' } });
    // Its own refusal cannot be printed as the JSON it refuses: text on stderr, nothing on stdout.
    const m = io({ SKEW_JSON: 'maybe' });
    expect(await main(['run', 'roll-forward', '--shard', '2/2'], m)).toBe(64);
    expect(m.stderr).toContain('$SKEW_JSON = "maybe" is not valid');
    expect(m.stdout).toBe('');
  });

  it("prints the package's version with --version and -V, exit 0", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const t = io();
      expect(await main([flag], t)).toBe(0);
      expect(t.stdout).toBe(`${version}\n`);
    }
  });

  it('exits 64 on an unknown flag', async () => {
    const t = io();
    expect(await main(['run', '--frobnicate'], t)).toBe(64);
    expect(t.stderr).toContain("unknown option '--frobnicate'");
  });
});
