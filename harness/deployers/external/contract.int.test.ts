import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuild, REPO_ROOT } from '../../builds/build-cache.ts';
import { parseScenario } from '../../scenario/parse.ts';
import { runScenario } from '../../run/run-scenario.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forgetSandboxMode, sandboxMode } from './sandbox.ts';

/** Our good reference, sourced after a script's own lines: the release still goes live. */
const RELEASES_SYMLINK = `exec "${join(REPO_ROOT, 'deployers/releases-symlink.sh')}" "$@"`;

/**
 * The deployer contract, end to end with real processes: a shell deployer gets its variables,
 * purges through the Cloudflare-compatible API with curl, reloads the process manager; and a
 * deployer that fails, hangs or writes outside its root makes the run inconclusive, cleanly.
 */
const scenario = parseScenario({
  name: 'contract',
  title: 'contract',
  description: 'deploy A and probe',
  source: 'test',
  versions: ['A'],
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'probe', label: 'after-A', paths: ['/', '/'] },
  ],
  checks: ['cache-status'],
  reference: { good: 'releases-symlink', broken: [] },
});

let dir = '';
const runsDir = () => join(dir, 'runs');

async function script(name: string, body: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, `#!/usr/bin/env bash\nset -euo pipefail\n${body}\n`);
  await chmod(p, 0o755);
  return p;
}

describe('deployer contract (shell and module deployers, real stack)', () => {
  beforeAll(async () => {
    await mkdir(join(REPO_ROOT, 'runs'), { recursive: true }); // a fresh clone has none yet
    dir = await mkdtemp(join(REPO_ROOT, 'runs', '.contract-'));
  }, 10_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs the document-style script: variables, curl purge through the API, reload, verdict pass', async () => {
    const r = await runScenario({ scenario, deployer: join(REPO_ROOT, 'deployers/releases-symlink.sh'), runsDir: runsDir() });
    expect(r.verdict, JSON.stringify(r.checks)).toBe('pass');
    expect(r.deployerReference).toBe('external');
    const history = await readFile(join(r.runDir, 'history.jsonl'), 'utf8');
    expect(history).toMatch(
      /"type":"purge","by":"releases-symlink.sh","via":"api","evicted":\[\],"status":200,"request":\{"files":\["http:\/\/127\.0\.0\.1:\d+\/"/,
    );
  });

  it('a non-zero exit is inconclusive with the exit code and the output', async () => {
    const bad = await script('fails.sh', 'echo "migrating…"; echo "boom: no space left" >&2; exit 3');
    const r = await runScenario({ scenario, deployer: bad, runsDir: runsDir() });
    expect(r.verdict).toBe('inconclusive');
    const text = r.checks[0]!.evidence.join('\n');
    expect(text).toContain('exited with code 3');
    expect(text).toContain('boom: no space left');
    expect(text).toContain('not judged: cache-status');
  });

  it('a hang past the timeout is killed (with what it started) and inconclusive', async () => {
    const marker = `skew-hang-${process.pid}`;
    const hang = await script('hangs.sh', `sleep 300 # ${marker}\n`);
    const r = await runScenario({ scenario, deployer: hang, runsDir: runsDir(), deployerTimeoutMs: 1_500 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.checks[0]!.evidence[0]).toContain('ran past its 1.5 s timeout and was killed');
    expect(() => execFileSync('pgrep', ['-f', marker])).toThrow(); // pgrep exits 1: nothing left
  });

  describe('in the bubblewrap sandbox (where it can run)', () => {
    // On Linux `npm run setup` installs bubblewrap: a machine without it fails here, never skips.
    const confined = process.platform === 'linux';
    it.skipIf(!confined)('is the mode in force', () => expect(sandboxMode().detail).toMatch(/^bubblewrap/));
    // Each place a careless deployer writes: next to its root, into its run folder, the system
    // temp folder, the read-only build, far up with ../, and the harness's own checkout.
    const tag = `skew-escaped-${process.pid}.txt`;
    const escapes: [where: string, target: string, written: (deployRoot: string, buildDir: string) => string][] = [
      ['next to the deploy root', `"$SKEW_DEPLOY_ROOT/../${tag}"`, (root) => join(root, '..', tag)],
      ["into its run's folder", `"$SKEW_DEPLOY_ROOT/../../${tag}"`, (root) => join(root, '..', '..', tag)],
      ['into the system temp folder', `"/tmp/${tag}"`, () => join('/tmp', tag)],
      ['into the read-only build', `"$SKEW_BUILD_DIR/public/${tag}"`, (_, build) => join(build, 'public', tag)],
      ['far up with ../', `"$SKEW_DEPLOY_ROOT/../../../../../../../../../../../../${tag}"`, () => join('/', tag)],
    ];
    for (const [where, target, written] of escapes)
      it.skipIf(!confined)(
        `a write ${where} fails with the deployer's own EROFS, and the run is inconclusive naming the path`,
        async () => {
          const s = await script(`escape-${where.replace(/\W+/g, '-')}.sh`, `echo x > ${target}`);
          const r = await runScenario({ scenario, deployer: s, runsDir: runsDir(), keepStack: true });
          expect(r.verdict).toBe('inconclusive');
          expect(r.deployerSandbox).toMatch(/^bubblewrap/);
          const text = r.checks[0]!.evidence.join('\n');
          expect(text).toContain('the sandbox refused it');
          expect(text).toMatch(new RegExp(`refused: .*${tag.replace('.', '\\.')}: Read-only file system`));
          // Nothing was written: the sandbox made the write impossible, not just noticed it.
          const path = written(join(r.runDir, 'stack', 'deploy'), (await getBuild({ variant: 'A' })).dir);
          expect(existsSync(path), path).toBe(false);
        },
      );

    it.skipIf(!confined)('a refused write is reported even when the script ignores it and exits 0', async () => {
      const s = await script('ignores.sh', `cp "$SKEW_BUILD_DIR/.next/BUILD_ID" /tmp/last-build-id-$$ || true\n${RELEASES_SYMLINK}`);
      const r = await runScenario({ scenario, deployer: s, runsDir: runsDir() });
      expect(r.verdict).toBe('inconclusive');
      expect(r.checks[0]!.evidence.join('\n')).toMatch(
        /refused: cp: cannot create regular file '\/tmp\/last-build-id-\d+': Read-only file system/,
      );
    });

    it.skipIf(!confined)('the deployer reaches the stack on loopback, its TMPDIR is writable, and nothing else answers', async () => {
      // A loopback server of the machine that is not the stack's: the sandbox must not reach it.
      const other = createServer((_, res) => res.end('outside'));
      await new Promise<void>((res) => other.listen(0, '127.0.0.1', res));
      const { port } = other.address() as AddressInfo;
      try {
        const s = await script(
          'network.sh',
          [
            't=$(mktemp) && echo ok > "$t" && echo "tmp $t"',
            `if curl -s -m 2 http://127.0.0.1:${port}/ >/dev/null; then echo "reached ${port}"; else echo "cannot reach ${port}"; fi`,
            // Docker's daemon would be a way out of any sandbox: its socket is hidden.
            'if curl -s -m 2 --unix-socket /run/docker.sock http://docker/version >/dev/null; then echo "docker answers"; else echo "no docker"; fi',
            RELEASES_SYMLINK,
          ].join('\n'),
        );
        const r = await runScenario({ scenario, deployer: s, runsDir: runsDir() });
        expect(r.verdict, JSON.stringify(r.checks)).toBe('pass');
        const log = await readFile(join(r.runDir, 'logs', 'progress.log'), 'utf8');
        expect(log).toContain(`cannot reach ${port}`);
        expect(log).toContain('no docker');
        expect(log).toMatch(/tmp \S+\/deployer-tmp-\w+\/tmp\./);
      } finally {
        other.close();
      }
    });
  });

  describe('with the fingerprint instead (SKEW_SANDBOX=off: no sandbox on this machine)', () => {
    beforeAll(() => {
      process.env.SKEW_SANDBOX = 'off';
      forgetSandboxMode();
    });
    afterAll(() => {
      delete process.env.SKEW_SANDBOX;
      forgetSandboxMode();
    });

    it('writing outside the deploy root is caught and named', async () => {
      const escaping = await script('escapes.sh', 'touch "$SKEW_DEPLOY_ROOT/../escaped.txt"');
      const r = await runScenario({ scenario, deployer: escaping, runsDir: runsDir() });
      expect(r.verdict).toBe('inconclusive');
      expect(r.deployerSandbox).toMatch(/^fingerprint \(no sandbox: SKEW_SANDBOX=off/);
      expect(r.checks[0]!.evidence.join('\n')).toMatch(/wrote outside its deploy root[\s\S]*created \S+\/escaped\.txt/);
    });

    it('writing into the read-only build is caught', async () => {
      const build = await getBuild({ variant: 'A' });
      const target = join(build.dir, 'public', 'tampered.txt');
      const tamper = await script('tampers.sh', 'echo x > "$SKEW_BUILD_DIR/public/tampered.txt"');
      try {
        const r = await runScenario({ scenario, deployer: tamper, runsDir: runsDir() });
        expect(r.verdict).toBe('inconclusive');
        expect(r.checks[0]!.evidence.join('\n')).toContain(`created ${target}`);
      } finally {
        await rm(target, { force: true });
      }
    });
  });

  it('a wrong token is rejected like Cloudflare (403, code 10000), recorded, and the purge fails the deploy without retrying', async () => {
    const wrong = await script(
      'wrong-token.sh',
      `CF_API_TOKEN=not-the-token\nsource ${JSON.stringify(join(REPO_ROOT, 'deployers/lib.sh'))}\ninstall_release; switch_current; reload_app; purge_html`,
    );
    const r = await runScenario({ scenario, deployer: wrong, runsDir: runsDir() });
    expect(r.verdict).toBe('inconclusive');
    // A 403 is our mistake, not a transient failure: no retry, the deploy fails at once.
    expect(r.checks[0]!.evidence.join('\n')).toContain('exited with code 1');
    expect(r.checks[0]!.evidence.join('\n')).toContain('purge failed (HTTP 403, attempt 1/5)');
    const history = await readFile(join(r.runDir, 'history.jsonl'), 'utf8');
    expect(history).toContain('"via":"api","evicted":[],"status":403,"errorCode":10000');
  });

  it('loads a TypeScript module deployer by path', async () => {
    const mod = join(dir, 'my-deployer.ts');
    await writeFile(
      mod,
      `import { DEPLOYERS } from ${JSON.stringify(join(REPO_ROOT, 'harness/deployers/registry.ts'))};\nexport default { ...DEPLOYERS['releases-symlink'], name: 'mine' };\n`,
    );
    const r = await runScenario({ scenario, deployer: mod, runsDir: runsDir() });
    expect(r).toMatchObject({ deployer: 'mine', deployerReference: 'external', verdict: 'pass' });
  });

  it('a module deployer that throws, or leaves a release next start cannot run, is inconclusive', async () => {
    const throws = join(dir, 'throws.ts');
    await writeFile(
      throws,
      `export default { name: 'thrower', description: 'x', reference: 'external', deploy: async () => { throw new Error('bucket not found'); }, rollback: async () => {} };\n`,
    );
    const r1 = await runScenario({ scenario, deployer: throws, runsDir: runsDir() });
    expect(r1.verdict).toBe('inconclusive');
    expect(r1.checks[0]!.evidence[0]).toContain('the deployer failed: deploy A (thrower): bucket not found');
    const empty = await script(
      'empty-release.sh',
      'mkdir -p "$RELEASES_DIR/$SKEW_DEPLOYMENT_ID"; ln -sfn "$RELEASES_DIR/$SKEW_DEPLOYMENT_ID" "$CURRENT_LINK"',
    );
    const r2 = await runScenario({ scenario, deployer: empty, runsDir: runsDir() });
    expect(r2.verdict).toBe('inconclusive');
    expect(r2.checks[0]!.evidence.join('\n')).toContain('has no .next/BUILD_ID');
  });

  it('a refusal (exit 77, or a module returning { refused }) is recorded and the scenario goes on', async () => {
    const twoSteps = parseScenario({
      ...scenario,
      steps: [...scenario.steps, { kind: 'rollback', version: 'A' }, { kind: 'probe', label: 'after-refusal', paths: ['/'] }],
    });
    const refuses = await script(
      'refuses.sh',
      `[[ $SKEW_ACTION == rollback ]] && { echo "REFUSED: change freeze"; exit "$SKEW_REFUSE_EXIT"; }\nexec ${JSON.stringify(join(REPO_ROOT, 'deployers/releases-symlink.sh'))} "$@"`,
    );
    const r = await runScenario({ scenario: twoSteps, deployer: refuses, runsDir: runsDir() });
    expect(r.checks.map((c) => c.check)).toEqual(['cache-status']); // judged: not cut short
    const history = await readFile(join(r.runDir, 'history.jsonl'), 'utf8');
    expect(history).toMatch(/"action":"rollback","version":"A".*"ok":false.*"refused":"REFUSED: change freeze"/);
    expect(history).toContain('"label":"after-refusal"');

    const mod = join(dir, 'refusing.ts');
    await writeFile(
      mod,
      `import { DEPLOYERS } from ${JSON.stringify(join(REPO_ROOT, 'harness/deployers/registry.ts'))};
export default { ...DEPLOYERS['releases-symlink'], name: 'refusing', rollback: async () => ({ refused: 'not today' }) };
`,
    );
    const r2 = await runScenario({ scenario: twoSteps, deployer: mod, runsDir: runsDir() });
    expect(await readFile(join(r2.runDir, 'history.jsonl'), 'utf8')).toContain('"refused":"not today"');
  });

  it('cleanup runs with the scenario clock: SKEW_NOW moves with advanceClock, without waiting', async () => {
    const clocked = parseScenario({
      ...scenario,
      steps: [scenario.steps[0], { kind: 'cleanup' }, { kind: 'advanceClock', by: '16m' }, { kind: 'cleanup' }],
    });
    const logs = await script(
      'clock.sh',
      `[[ $SKEW_ACTION == cleanup ]] && { echo "$SKEW_VERSION $SKEW_NOW $SKEW_CLOCK_OFFSET_S" >> "$SKEW_DEPLOY_ROOT/clock.log"; exit 0; }\nexec ${JSON.stringify(join(REPO_ROOT, 'deployers/releases-symlink.sh'))} "$@"`,
    );
    const started = Date.now();
    const r = await runScenario({ scenario: clocked, deployer: logs, runsDir: runsDir(), keepStack: true });
    const lines = (await readFile(join(r.runDir, 'stack/deploy/clock.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    expect(lines.map((l) => l[0])).toEqual(['A', 'A']);
    const [first, second] = lines.map((l) => Number(l[1]));
    expect(second! - first!).toBeGreaterThanOrEqual(16 * 60);
    expect(Number(lines[1]![2])).toBeGreaterThanOrEqual(16 * 60 - 1);
    expect(Date.now() - started).toBeLessThan(5 * 60_000); // no real 16-minute wait
  });

  it('names what is wrong with a deployer argument', async () => {
    await expect(runScenario({ scenario, deployer: './nope.sh', runsDir: runsDir() })).rejects.toMatchObject({ code: 'UNKNOWN_DEPLOYER' });
    const notExec = join(dir, 'plain.sh');
    await writeFile(notExec, 'echo hi');
    await expect(runScenario({ scenario, deployer: notExec, runsDir: runsDir() })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      hint: expect.stringContaining('chmod +x'),
    });
  });
});
