import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getBuild, REPO_ROOT } from '../harness/builds/build-cache.ts';
import { getDeployer } from '../harness/deployers/registry.ts';
import { trackChild } from '../harness/io/children.ts';
import { freePort } from '../harness/io/ports.ts';
import { waitFor } from '../harness/io/wait.ts';
import { Load } from '../harness/load/load.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { Stack } from '../harness/stack/stack.ts';
import { getScenario } from '../scenarios/index.ts';
import { deployDirect } from '../test/deploy-direct.ts';

const CLIENTS = 1_000;
const CAPACITY_MS = 10_000;
const TARGET_RATIO = 0.5;

/**
 * Load figures: 1,000 clients through a real swap (roll-forward with the good deployer: the goal
 * is 0 errors), and the edge's throughput at full speed against bare nginx serving the same
 * files in the same run (goal ≥ 0.5×). Both use the same client (harness/load/load.ts).
 */
export async function benchLoad(print: (l: string) => void): Promise<void> {
  const runsDir = join(REPO_ROOT, 'runs', 'bench-load');
  const swap = await runScenario({
    scenario: getScenario('roll-forward'),
    deployer: 'releases-symlink',
    runsDir,
    load: CLIENTS,
    traces: 'off',
  });
  const l = swap.load!;
  const errors = Object.values(l.errors).reduce((a, b) => a + (b ?? 0), 0);
  print(
    `load through a swap: ${l.clients} clients, ${l.requests} requests in ${(l.ms / 1000).toFixed(1)} s, ${errors} errors (goal 0 → ${errors === 0 ? 'met' : 'MISSED'}); verdict ${swap.verdict}`,
  );
  for (const p of l.phases)
    print(
      `  ${p.phase.padEnd(16)} ${String(p.requests).padStart(6)} req, ${String(p.rps).padStart(5)}/s, p50 ${p.p50} ms, p95 ${p.p95} ms, p99 ${p.p99} ms${p.retried ? `, ${p.retried} retried after a keep-alive reset` : ''}${
        Object.keys(p.errors).length
          ? `, errors: ${Object.entries(p.errors)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ')}`
          : ''
      }`,
    );
  for (const sample of l.samples) print(`  ${sample}`);
  for (const c of swap.checks.filter((x) => x.verdict !== 'pass')) print(`  ${c.check} ${c.verdict}: ${c.evidence[0] ?? ''}`);

  await mkdir(join(REPO_ROOT, 'runs'), { recursive: true });
  const dir = await mkdtemp(join(REPO_ROOT, 'runs', '.bench-load-'));
  const build = await getBuild({ variant: 'A' });
  const stack = await Stack.start({ dir: join(dir, 'stack'), cdn: 'process', runId: 'bench-load' });
  let bare: { url: string; stop(): Promise<void> } | undefined;
  try {
    await deployDirect(getDeployer('releases-symlink'), stack, build);
    bare = await bareNginx(join(dir, 'bare'), build.dir);
    // Warm both caches first (the edge's cache, the page cache), then measure each at full speed.
    await flat(stack.url, 2_000);
    await flat(bare.url, 2_000);
    const edge = await flat(stack.url, CAPACITY_MS);
    const plain = await flat(bare.url, CAPACITY_MS);
    const ratio = edge.rps / plain.rps;
    print(
      `capacity, ${CLIENTS} clients without pauses for ${CAPACITY_MS / 1000} s: skew edge ${edge.rps}/s (p99 ${edge.p99} ms, ${edge.errors} errors), bare nginx ${plain.rps}/s (p99 ${plain.p99} ms, ${plain.errors} errors)`,
    );
    print(
      `throughput ratio edge / bare nginx: ${ratio.toFixed(2)}× (goal ≥ ${TARGET_RATIO}× → ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'})`,
    );
  } finally {
    await bare?.stop();
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(runsDir, { recursive: true, force: true });
  }
}

/** The same client at full speed against one URL for `ms`: requests per second, p99, errors. */
async function flat(url: string, ms: number): Promise<{ rps: number; p99: number; errors: number }> {
  const load = Load.start({ edgeUrl: url, clients: CLIENTS, thinkMs: 0, maxMs: ms + 5_000 });
  await new Promise((r) => setTimeout(r, ms));
  const r = await load.stop();
  const seconds = r.ms / 1000;
  const p99 = Math.max(...r.phases.map((p) => p.p99));
  return { rps: Math.round(r.requests / seconds), p99, errors: Object.values(r.errors).reduce((a, b) => a + (b ?? 0), 0) };
}

/** nginx with nothing but the build's files: the page's HTML at / and .next/static at /_next/static/. */
async function bareNginx(prefix: string, buildDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  await mkdir(join(prefix, 'logs'), { recursive: true });
  await mkdir(join(prefix, 'temp'), { recursive: true });
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  // Same process settings as the edge (user root: the workers read the build, as the edge's do).
  await writeFile(
    conf,
    `daemon off;
user root;
worker_processes 1;
worker_rlimit_nofile 16384;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${prefix}/temp; proxy_temp_path ${prefix}/temp; fastcgi_temp_path ${prefix}/temp; uwsgi_temp_path ${prefix}/temp; scgi_temp_path ${prefix}/temp;
  types { text/html html; application/javascript js; text/css css; }
  server {
    listen 127.0.0.1:${port};
    location = / { default_type text/html; root ${buildDir}/.next/server/app; try_files /index.html =404; }
    location /_next/static/ { alias ${buildDir}/.next/static/; }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', prefix, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  trackChild(child, 'bare nginx (bench)', { group: true });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`bare nginx to answer on ${url}`, async () => (await fetch(`${url}/`)).ok, {
    timeoutMs: 10_000,
    logs: () => stderr.split('\n').slice(-10),
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
