import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { WORK_DIR } from '../harness/builds/build-cache.ts';
import type { ScenarioReport } from '../harness/run/report.ts';
import { BIN, cdnKinds, childEnv, leftoverContainers, leftovers, runIdsIn, skew, workDir } from './support.ts';

/**
 * A signal at each phase of a run (the builds, the stack's start, a deployer mid-action, a
 * browser step, the teardown): the exit code says which signal, the deployer stops first,
 * nothing is left (processes, containers, temp folders, release copies), and the run's report
 * is written: verdict `interrupted` with how far it got, or the real verdict when every step
 * was done. The browser-step case with both CDN runtimes is in cli.spec.ts.
 */
interface Phase {
  name: string;
  args: string[];
  signal: NodeJS.Signals;
  /** When to send the signal: a named condition over stderr (and, for a build, the process table). */
  when: (stderr: string, skewPid: number) => boolean;
  env?: (cwd: string) => NodeJS.ProcessEnv;
  verdict: ScenarioReport['verdict'];
  phase?: string;
  setup?: (cwd: string) => void;
}

/** A deployer that keeps writing into its deploy root until it is stopped. */
const SLOW_DEPLOYER = `#!/bin/sh
i=0
while [ $i -lt 600 ]; do
  i=$((i + 1))
  echo "$i" > "$SKEW_DEPLOY_ROOT/progress"
  [ $i -eq 3 ] && echo "writing release $SKEW_VERSION"
  sleep 0.1
done
`;

const phases: Phase[] = [
  {
    name: 'during a next build (SIGTERM)',
    args: ['run', 'stale-html'],
    signal: 'SIGTERM',
    // An empty builds folder: the fixture is really built, and the signal lands in `next build`.
    env: (cwd) => ({ SKEW_BUILDS_DIR: join(cwd, 'builds') }),
    when: (stderr, pid) => stderr.includes('build A (') && descendants(pid).some((c) => /next\S* build/.test(c)),
    verdict: 'interrupted',
    phase: 'builds',
  },
  ...(cdnKinds().includes('container')
    ? [
        {
          name: 'while the stack starts (container CDN)',
          args: ['run', 'stale-html', '--cdn', 'container'],
          signal: 'SIGINT' as const,
          when: (stderr: string) => stderr.includes('stack: starting nginx'),
          verdict: 'interrupted' as const,
          phase: 'stack start',
        },
      ]
    : []),
  {
    name: 'while the deployer writes a release',
    args: ['run', 'stale-html', '--deployer', './slow-deploy.sh'],
    signal: 'SIGINT',
    setup: (cwd) => writeFileSync(join(cwd, 'slow-deploy.sh'), SLOW_DEPLOYER, { mode: 0o755 }),
    when: (stderr) => stderr.includes('writing release A'),
    verdict: 'interrupted',
    phase: 'steps',
  },
  {
    name: 'during the teardown',
    args: ['run', 'stale-html'],
    signal: 'SIGINT',
    when: (stderr) => stderr.includes('teardown…'),
    // Every step was done: the run keeps its real verdict.
    verdict: 'pass',
  },
];

for (const p of phases)
  test(`a signal ${p.name}: exit ${p.signal === 'SIGTERM' ? 143 : 130}, nothing left, the report written`, async () => {
    const cwd = workDir(`interrupt-${p.name.split(' ')[1]}`);
    p.setup?.(cwd);
    let sent = false;
    let poll: NodeJS.Timeout | undefined;
    const r = await skew(
      p.args,
      cwd,
      (text, kill, pid) => {
        const check = () => {
          if (sent || !p.when(text, pid)) return;
          sent = true;
          clearInterval(poll);
          kill(p.signal);
        };
        check();
        // Some conditions (a build process appearing) come with no output: looked at again until sent.
        clearInterval(poll);
        if (!sent) poll = setInterval(check, 100);
      },
      p.env?.(cwd),
    );
    clearInterval(poll);
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(p.signal === 'SIGTERM' ? 143 : 130);
    expect(r.stderr).toContain(`${p.signal}: stopping the deployer, then tearing down the stack`);
    // What the teardown broke under the run is no error of it.
    expect(r.stderr).not.toMatch(/internal error|TypeError|at async/);
    expect(leftovers(cwd)).toEqual([]);
    const runIds = runIdsIn(cwd).filter((d) => d !== 'latest' && !d.startsWith('.'));
    expect(leftoverContainers(runIds)).toEqual([]);
    // Kept on purpose by third parties, also after a clean run: tsx's compile cache (tsx-<uid>)
    // and testcontainers' lock file (testcontainers-node-<uid>.lock, empty).
    const temp = readdirSync(join(cwd, 'tmp')).filter((d) => !/^(tsx-\d+|testcontainers-node-\d+\.lock)$/.test(d));
    expect(temp, 'temp folders left (Playwright, Chromium, the harness)').toEqual([]);
    expect(runIds).toHaveLength(1);
    const runDir = join(cwd, 'runs', runIds[0]!);
    expect(existsSync(join(runDir, 'stack', 'deploy')), 'release copies left').toBe(false);
    expect(existsSync(join(runDir, 'running.pid'))).toBe(false);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as ScenarioReport;
    expect(report.verdict).toBe(p.verdict);
    if (p.phase) expect(report.interrupted).toMatchObject({ signal: p.signal, phase: p.phase });
    if (p.env) {
      // The build a signal stopped is not published, nothing half-built is left under builds/,
      // and the kept .next/cache went back to where the next build finds it.
      const builds = existsSync(join(cwd, 'builds')) ? readdirSync(join(cwd, 'builds')) : [];
      expect(builds.filter((d) => !d.startsWith('.') || d.endsWith('.tmp'))).toEqual([]);
      expect(existsSync(join(WORK_DIR, 'app', 'next-cache')), '.next/cache kept').toBe(true);
    }
  });

/** The command lines of a process's descendants (children, grandchildren, …). */
function descendants(pid: number): string[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone while we looked
    }
  }
  const out: string[] = [];
  for (const [child] of parent) {
    let p = parent.get(child);
    for (let depth = 0; p && depth < 20; depth++, p = parent.get(p))
      if (p === pid) {
        try {
          out.push(readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' '));
        } catch {
          // gone
        }
        break;
      }
  }
  return out;
}

test('a second signal exits at once, naming what the teardown had not finished; skew down then removes the release copies left', async () => {
  const cwd = workDir('interrupt-twice');
  let sent = false;
  let again = false;
  const r = await skew(['run', 'stale-html'], cwd, (text, kill) => {
    if (!sent && text.includes('step 3/')) {
      sent = true;
      kill('SIGINT');
    }
    // The second once the first is handled (two at once reach Node as one), during the teardown.
    if (sent && !again && text.includes('SIGINT: stopping the deployer')) {
      again = true;
      kill('SIGINT');
    }
  });
  expect(sent, r.stderr).toBe(true);
  expect(r.code, r.stderr).toBe(130);
  expect(r.stderr).toMatch(/SIGINT again: exiting now, not torn down: run \S+/);
  // The processes go with the harness (its exit hook kills their groups; Chromium ends with its pipe).
  await expect.poll(() => leftovers(cwd), { timeout: 10_000 }).toEqual([]);
  const [id] = runIdsIn(cwd).filter((d) => d !== 'latest');
  const deploy = join(cwd, 'runs', id!, 'stack', 'deploy');
  expect(existsSync(deploy), 'the cut teardown left the release copies').toBe(true);
  const down = await skew(['down'], cwd);
  expect(down.code, down.stderr).toBe(0);
  expect(down.stdout).toMatch(new RegExp(`${id}: removed the release copies its run left when it died \\(\\d+\\.\\d MB\\)`));
  expect(existsSync(deploy)).toBe(false);
});

test('a reader that closes stdout early (`skew run … | head -1`): exit 141, torn down, no crash', async () => {
  const cwd = workDir('interrupt-epipe');
  const child = spawn(process.execPath, [BIN, 'run', 'stale-html', 'purge-html-only'], {
    cwd,
    env: childEnv(cwd),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // The first verdict line read, the reader goes away, as `head -1` does.
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  expect(code, stderr).toBe(141);
  expect(stderr).toContain('stdout closed (EPIPE): stopping the deployer, then tearing down the stack');
  expect(stderr).not.toMatch(/Error: write EPIPE|at async|internal error/);
  expect(leftovers(cwd)).toEqual([]);
});
