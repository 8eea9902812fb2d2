import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneDeploy } from '../../../test/one-deploy.ts';
import { REPO_ROOT } from '../../builds/build-cache.ts';
import { ofType, type Stamped } from '../../core/history.ts';
import { runScenario } from '../../run/run-scenario.ts';
import { parseScenario } from '../../scenario/parse.ts';
import { SANDBOX_UID } from '../../io/unprivileged.ts';
import { forgetSandboxMode, SANDBOX_NPROC, sandboxMode } from './sandbox.ts';

/**
 * A hostile deployer, tried against the real sandbox: every way out the field and our own tries
 * found (a symlink, /proc/self/root, `..`, a hard link, containerd's and Docker's sockets, a
 * root-only socket elsewhere, signals to the machine's processes, daemons left behind, a fork
 * bomb). Each attempt's outcome is printed by the script; the test asserts that nothing outside
 * the deploy root changed and that nothing outlives the run.
 */
const scenario = parseScenario(oneDeploy('escape'));

const confined = process.platform === 'linux';
let dir = '';
let bait = '';
let victim: ChildProcess | undefined;
let rootOnly: Server | undefined;
let rootOnlyConnections = 0;
let runDir = '';
let runServer: Server | undefined;
let runConnections = 0;
const tag = `skew-escape-${process.pid}`;

async function historyOf(runDir: string): Promise<Stamped[]> {
  return (await readFile(join(runDir, 'history.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Stamped);
}

/** Every Unix socket of the machine's /run (Docker's, containerd's, its metrics and debug ones). */
function runSockets(): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 4) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isSocket()) out.push(p);
      else if (e.isDirectory() && !e.isSymbolicLink() && !p.startsWith('/run/docker/netns')) walk(p, depth + 1);
    }
  };
  try {
    walk('/run', 0);
  } catch {
    // no /run
  }
  return out;
}

describe.skipIf(!confined)('a hostile deployer in the sandbox', () => {
  beforeAll(async () => {
    await mkdir(join(REPO_ROOT, 'runs'), { recursive: true });
    dir = await mkdtemp(join(REPO_ROOT, 'runs', '.escape-'));
    // mkdtemp makes it 0700: open it as a runs folder is, so the sandbox's user can enter it.
    await chmod(dir, 0o755);
    bait = join(dir, 'outside.txt');
    await writeFile(bait, 'untouched\n');
    victim = spawn('sleep', ['600'], { stdio: 'ignore' });
    // A root-only socket outside /run (as tmux's in /tmp/tmux-0): the sandbox's user cannot connect.
    const sockDir = await mkdtemp('/tmp/skew-rootonly-');
    rootOnly = createServer((c) => {
      rootOnlyConnections++;
      c.end();
    });
    await new Promise<void>((res) => rootOnly!.listen(join(sockDir, 's'), res));
    // A socket in /run that anyone may reach (as a daemon's with loose modes): only the tmpfs
    // over /run hides it, whether or not dockerd runs on this machine.
    runDir = await mkdtemp('/run/skew-escape-');
    await chmod(runDir, 0o755);
    runServer = createServer((c) => {
      runConnections++;
      c.end();
    });
    await new Promise<void>((res) => runServer!.listen(join(runDir, 's'), res));
    await chmod(join(runDir, 's'), 0o777);
  }, 10_000);
  afterAll(async () => {
    victim?.kill('SIGKILL');
    rootOnly?.close();
    runServer?.close();
    if (runDir) await rm(runDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });

  it('gets out nowhere, leaves nothing running, and is told what it left', async () => {
    const node = process.execPath;
    const sockets = runSockets();
    const rootSocket = (rootOnly!.address() as string) ?? '';
    const connect = (path: string) =>
      `"${node}" -e 'const p=process.argv[1];require("net").connect(p).on("connect",()=>{console.log("CONNECTED "+p);process.exit(0)}).on("error",e=>{console.log("REFUSED "+p+" "+e.code)})' "${path}"`;
    const bomb = join(dir, 'bomb.cjs');
    await writeFile(
      bomb,
      `const ps = [];
for (let i = 0; i < Number(process.argv[2]); i++) {
  const p = require('node:child_process').spawn('sleep', ['604'], { stdio: 'ignore' });
  p.on('error', () => {});
  if (!p.pid) break;
  ps.push(p);
}
console.log('forked ' + ps.length);
for (const p of ps) p.kill('SIGKILL');
`,
    );
    const body = [
      'set +e',
      'echo "uid $(id -u)"',
      // A symlink from the deploy root to a folder outside, written through.
      `ln -s "${dir}" "$SKEW_DEPLOY_ROOT/out-link" && echo x >> "$SKEW_DEPLOY_ROOT/out-link/outside.txt" && echo "ESCAPED symlink"`,
      // The sandbox's own root through /proc.
      `echo x >> "/proc/self/root${bait}" && echo "ESCAPED proc-root"`,
      `echo x >> "$SKEW_DEPLOY_ROOT/../../../outside.txt" && echo "ESCAPED dotdot"`,
      // A hard link to a file outside, then a write through it.
      `ln "${bait}" "$SKEW_DEPLOY_ROOT/hard" && echo x >> "$SKEW_DEPLOY_ROOT/hard" && echo "ESCAPED hardlink"`,
      ...sockets.map(connect),
      connect(rootSocket),
      `kill -TERM ${victim!.pid} && echo "ESCAPED signal"`,
      'echo "sees $(ls /proc | grep -c "^[0-9]") processes"',
      // Daemons, as real deploy scripts start them.
      `sleep 601 & nohup sleep 602 >/dev/null 2>&1 & setsid sleep 603 &`,
      // A bounded fork bomb: more processes than the sandbox allows. In node, which sees the
      // fork fail (bash ends the whole script at the first fork it cannot make), counts and
      // stops its own children.
      `"${node}" "${bomb}" ${SANDBOX_NPROC + 200}`,
      `exec "${join(REPO_ROOT, 'deployers/releases-symlink.sh')}" "$@"`,
    ].join('\n');
    const script = join(dir, `${tag}.sh`);
    await writeFile(script, `#!/usr/bin/env bash\n${body}\n`);
    await chmod(script, 0o755);

    const r = await runScenario({ scenario, deployer: script, runsDir: join(dir, 'runs') });
    const log = await readFile(join(r.runDir, 'logs', 'progress.log'), 'utf8');
    // The writes it tried outside were refused, and a deployer that tries is not judged.
    expect(r.verdict, log.slice(0, 6000)).toBe('inconclusive');
    expect(r.checks[0]!.evidence.join('\n')).toContain('the sandbox refused it');
    expect(log).not.toContain('ESCAPED');
    expect(log).not.toContain('CONNECTED');
    for (const s of [...sockets, rootSocket]) expect(log).toContain(`REFUSED ${s}`);
    expect(rootOnlyConnections).toBe(0);
    expect(runConnections).toBe(0);
    expect(sockets).toContain(join(runDir, 's'));
    expect(await readFile(bait, 'utf8')).toBe('untouched\n');
    expect(victim!.exitCode).toBeNull();
    expect(victim!.signalCode).toBeNull();
    // Its own PID namespace: it sees a handful of its own processes, not the machine's.
    expect(Number(/sees (\d+) processes/.exec(log)?.[1])).toBeLessThan(SANDBOX_NPROC + 20);
    if (process.getuid?.() === 0 && sandboxMode().kind === 'bubblewrap') {
      expect(log).toContain(`uid ${SANDBOX_UID}`);
      expect(Number(/forked (\d+)/.exec(log)?.[1])).toBeLessThan(SANDBOX_NPROC);
    }
    // Nothing outlives the action, and the history names what it left.
    expect(() => execFileSync('pgrep', ['-f', '^sleep 60[1-4]$'])).toThrow();
    const left = ofType(await historyOf(r.runDir), 'deployer').flatMap((e) => e.left ?? []);
    for (const s of ['sleep 601', 'sleep 602', 'sleep 603']) expect(left, log.slice(-4000)).toContain(s);
    expect(log).toMatch(/skew stopped \d+ process\(es\) deploy A .* left running/);
    expect(existsSync(join(dir, 'out-link'))).toBe(false);
    expect(statSync(bait).nlink).toBe(1);
  }, 120_000);

  // A deploy that hangs past its timeout, ignores SIGTERM, and started a child, a nohup'd and a
  // setsid'd grandchild: before, all four were alive minutes later (the SIGKILL follow-up was an
  // unref'd timer, and the setsid'd one had left the group). Confined and not.
  for (const sandbox of ['bubblewrap', 'off'] as const)
    it(`a hung action is ended whole after the grace, daemons included (sandbox ${sandbox})`, async () => {
      if (sandbox === 'off') process.env.SKEW_SANDBOX = 'off';
      forgetSandboxMode();
      try {
        const mark = `${tag}-${sandbox}`;
        const script = join(dir, `${mark}.sh`);
        await writeFile(
          script,
          `#!/usr/bin/env bash\ntrap 'echo "TERM received, going on"' TERM\nsleep 611 &\nnohup sleep 612 >/dev/null 2>&1 &\nsetsid sleep 613 &\n# ${mark}\nwhile :; do sleep 1; done\n`,
        );
        await chmod(script, 0o755);
        const r = await runScenario({ scenario, deployer: script, runsDir: join(dir, 'runs'), deployerTimeoutMs: 1_500 });
        expect(r.verdict).toBe('inconclusive');
        expect(r.checks[0]!.evidence[0]).toContain('ran past its 1.5 s timeout and was killed');
        // SIGTERM reached the script itself (its grace to clean up), then SIGKILL ended it.
        expect(await readFile(join(r.runDir, 'logs', 'progress.log'), 'utf8')).toContain('TERM received, going on');
        expect(() => execFileSync('pgrep', ['-f', `${mark}|^sleep 61[1-3]$`]), 'still running after the run').toThrow();
      } finally {
        delete process.env.SKEW_SANDBOX;
        forgetSandboxMode();
      }
    }, 60_000);

  // The origin nginx loads the deployer's includes: before, as root and unvetted, an include's
  // access_log wrote anywhere, proxy_pass reached any loopback port, alias served /etc/hostname.
  const singleOrigin = parseScenario({
    ...scenario,
    name: 'escape-nginx',
    worlds: ['single-origin'],
    reference: { good: 'own-routing', broken: [] },
  });
  const withIncludes = async (name: string, http: string, server: string) => {
    const script = join(dir, `${tag}-${name}.sh`);
    await writeFile(
      script,
      [
        '#!/usr/bin/env bash',
        'mkdir -p "$SKEW_NGINX_DIR/http.d" "$SKEW_NGINX_DIR/server.d"',
        `cat >"$SKEW_NGINX_DIR/http.d/team.conf" <<'EOF'\n${http}\nEOF`,
        `cat >"$SKEW_NGINX_DIR/server.d/team.conf" <<'EOF'\n${server}\nEOF`,
        `exec "${join(REPO_ROOT, 'deployers/own-routing.sh')}" "$@"`,
      ].join('\n'),
    );
    await chmod(script, 0o755);
    return runScenario({ scenario: singleOrigin, deployer: script, runsDir: join(dir, 'runs'), world: 'single-origin' });
  };

  it("refuses an include that serves a file outside, proxies to a port not the stack's, or loads code", async () => {
    let reached = 0;
    const other = createServer((c) => {
      reached++;
      c.end();
    });
    await new Promise<void>((res) => other.listen(0, '127.0.0.1', res));
    try {
      const port = (other.address() as { port: number }).port;
      const r = await withIncludes(
        'nginx-escape',
        `access_log ${dir}/nginx-wrote-here.log;`,
        `location = /h { alias /etc/hostname; }\nlocation /x { proxy_pass http://127.0.0.1:${port}; }\ninclude /etc/passwd;`,
      );
      expect(r.verdict).toBe('inconclusive');
      const text = r.checks[0]!.evidence.join('\n');
      expect(text).toContain("the origin nginx refused the deployer's configuration");
      expect(text).toMatch(/alias \/etc\/hostname: \/etc\/hostname is outside the deploy root/);
      expect(text).toMatch(new RegExp(`port ${port} is not one of the stack's servers`));
      expect(text).toContain('an included file is not vetted');
      expect(reached).toBe(0);
      expect(existsSync(join(dir, 'nginx-wrote-here.log'))).toBe(false);
    } finally {
      other.close();
    }
  }, 120_000);

  it("rewrites a team's absolute log path into the origin's logs, says so, and runs that nginx unprivileged", async () => {
    const teamLog = `/var/log/nginx/${tag}.log`;
    const r = await withIncludes('nginx-logs', `access_log ${teamLog};`, 'proxy_hide_header X-Powered-By;');
    const log = await readFile(join(r.runDir, 'logs', 'progress.log'), 'utf8');
    // The deploy went through (nothing of it refused): the only thing judged here.
    const deploys = ofType(await historyOf(r.runDir), 'deployer');
    expect(
      deploys.map((d) => d.ok),
      log.slice(-3000),
    ).toEqual([true]);
    expect(log).toContain(`origin nginx: rewrote the deployer's nginx/http.d/team.conf:1: access_log ${teamLog} →`);
    expect(existsSync(teamLog)).toBe(false);
    const written = join(r.runDir, 'stack', 'origin', 'logs', `deployer-${tag}.log`);
    expect(existsSync(written)).toBe(true);
    if (process.getuid?.() === 0 && sandboxMode().kind === 'bubblewrap') expect(statSync(written).uid).toBe(SANDBOX_UID);
  }, 120_000);
});
