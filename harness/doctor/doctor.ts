import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { findChromium } from '../browser/launch.ts';
import { DEFAULT_NGINX_IMAGE, LOCAL_NGINX_IMAGE } from '../cdn/container-runtime.ts';
import { NJS_MODULE } from '../cdn/runtime.ts';
import { sandboxMode } from '../deployers/external/sandbox.ts';

const run = promisify(execFile);

export interface Finding {
  what: string;
  /** ok; warn = a part some modes need is missing; fail = skew cannot run. */
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  /** Exactly what to do about it. */
  fix?: string;
}

const SETUP = 'run `npm run setup` (installs what is missing on Debian)';

/**
 * What skew needs on this machine, checked the way a run would use it, with the fix for each
 * gap: Node, the browser, nginx with njs, the tools our reference deployers call, Docker and the
 * nginx image (container mode only), a loopback port, disk space.
 */
export async function diagnose(env: Record<string, string | undefined> = process.env, repoDir = process.cwd()): Promise<Finding[]> {
  const out: Finding[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  out.push(
    major > 22 || (major === 22 && minor >= 12)
      ? { what: 'node', status: 'ok', detail: `Node ${process.version}` }
      : {
          what: 'node',
          status: 'fail',
          detail: `Node ${process.version} is too old (need ≥ 22.12)`,
          fix: 'run skew through npm/npx in this project (node_modules/.bin/node is Node 24)',
        },
  );

  try {
    const browser = findChromium(env);
    // A wrong SKEW_CHROMIUM is skipped by the search: say so, or a user tests another browser than meant.
    out.push(
      env.SKEW_CHROMIUM && !existsSync(env.SKEW_CHROMIUM)
        ? {
            what: 'browser',
            status: 'warn',
            detail: `SKEW_CHROMIUM=${env.SKEW_CHROMIUM} does not exist; ${browser} is used instead`,
            fix: 'point SKEW_CHROMIUM at an existing Chromium, or unset it',
          }
        : { what: 'browser', status: 'ok', detail: browser },
    );
  } catch (e) {
    out.push({
      what: 'browser',
      status: 'fail',
      detail: e instanceof Error ? e.message : String(e),
      fix: `${SETUP}, or set SKEW_CHROMIUM=/path/to/chromium`,
    });
  }

  const nginx = await run('nginx', ['-v']).then(
    (r) => (r.stderr || r.stdout).trim(),
    () => undefined,
  );
  out.push(
    nginx
      ? { what: 'nginx', status: 'ok', detail: nginx }
      : { what: 'nginx', status: 'fail', detail: 'no `nginx` on PATH', fix: `${SETUP} (nginx-light)` },
  );
  out.push(
    existsSync(NJS_MODULE)
      ? { what: 'nginx njs module', status: 'ok', detail: NJS_MODULE }
      : { what: 'nginx njs module', status: 'fail', detail: `${NJS_MODULE} is missing`, fix: `${SETUP} (libnginx-mod-http-js)` },
  );

  for (const tool of ['rsync', 'curl', 'jq', 'sqlite3']) {
    const found = await run('sh', ['-c', `command -v ${tool}`]).then(
      (r) => r.stdout.trim(),
      () => '',
    );
    out.push(
      found
        ? { what: tool, status: 'ok', detail: found }
        : {
            what: tool,
            status: 'warn',
            detail: 'not on PATH: the reference shell deployers in deployers/ use it',
            fix: `${SETUP}, or apt-get install ${tool}`,
          },
    );
  }

  // Command deployers run confined when bubblewrap can; otherwise a weaker check stands in.
  const sandbox = sandboxMode(env as NodeJS.ProcessEnv);
  out.push(
    sandbox.kind === 'bubblewrap'
      ? { what: 'deployer sandbox', status: 'ok', detail: sandbox.detail }
      : {
          what: 'deployer sandbox',
          status: 'warn',
          detail: sandbox.detail,
          fix: `${SETUP} (bubblewrap), and allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) when not root`,
        },
  );

  const docker = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 }).then(
    (r) => r.stdout.trim(),
    () => undefined,
  );
  if (!docker) {
    out.push({
      what: 'docker',
      status: 'warn',
      detail: 'no Docker daemon answers (only --cdn container needs it)',
      fix: `${SETUP} (docker.io, then starts dockerd --iptables=false)`,
    });
  } else {
    out.push({ what: 'docker', status: 'ok', detail: `daemon ${docker}` });
    const image = env.SKEW_NGINX_IMAGE || DEFAULT_NGINX_IMAGE;
    const has = async (ref: string) =>
      run('docker', ['image', 'inspect', ref], { timeout: 10_000 }).then(
        () => true,
        () => false,
      );
    if (await has(image)) out.push({ what: 'nginx image', status: 'ok', detail: image });
    else if (await has(LOCAL_NGINX_IMAGE))
      out.push({ what: 'nginx image', status: 'ok', detail: `${image} absent; ${LOCAL_NGINX_IMAGE} is used instead` });
    else
      out.push({
        what: 'nginx image',
        status: 'warn',
        detail: `neither ${image} nor ${LOCAL_NGINX_IMAGE} is present (only --cdn container needs one)`,
        fix: `${SETUP} (builds ${LOCAL_NGINX_IMAGE} with debootstrap)`,
      });
  }

  const port = await new Promise<number | undefined>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  out.push(
    port
      ? { what: 'loopback ports', status: 'ok', detail: `can listen on 127.0.0.1 (got ${port})` }
      : {
          what: 'loopback ports',
          status: 'fail',
          detail: 'cannot listen on 127.0.0.1',
          fix: 'skew runs its edge and origins on loopback: allow binding 127.0.0.1',
        },
  );

  const fs = await statfs(repoDir).catch(() => undefined);
  const freeGb = fs ? (fs.bavail * fs.bsize) / 1e9 : undefined;
  out.push(
    freeGb === undefined
      ? { what: 'disk', status: 'warn', detail: `cannot stat ${repoDir}` }
      : freeGb >= 2
        ? { what: 'disk', status: 'ok', detail: `${freeGb.toFixed(1)} GB free in ${repoDir}` }
        : {
            what: 'disk',
            status: 'fail',
            detail: `${freeGb.toFixed(1)} GB free in ${repoDir} (builds and runs need ~2 GB)`,
            fix: 'free some space, or remove old runs/ and builds/',
          },
  );
  return out;
}
