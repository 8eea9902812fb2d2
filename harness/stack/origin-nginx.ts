import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpCommon, nginxPath, PROXY_HEADERS, staticPrefixOf, staticTryFiles } from '../cdn/nginx-config.ts';
import { ProcessRuntime } from '../cdn/process-runtime.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { freePort } from '../io/ports.ts';
import { handOver, type SandboxUser, sandboxUser, unreachable } from '../io/unprivileged.ts';
import { waitFor } from '../io/wait.ts';
import { vetIncludes, type VettedFile } from './nginx-includes.ts';

/** Under the deploy root: the deployer's own nginx configuration, included by the origin nginx. */
export const NGINX_DIR = 'nginx';
/** `http {}` level: maps, upstreams. */
export const NGINX_HTTP_DIR = `${NGINX_DIR}/http.d`;
/** The origin `server {}`, before skew's locations: `set $skew_backend …`, locations of its own. */
export const NGINX_SERVER_DIR = `${NGINX_DIR}/server.d`;

const APP_CONF = 'app.conf';
const STATIC_CONF = 'static.conf';
/** http level: the rolling world's Service (every pod in the rollout) and one upstream and listener per release. */
const PODS_CONF = 'pods.conf';
const GENERATED = [APP_CONF, STATIC_CONF, PODS_CONF];
/** Under the origin's prefix: the vetted copies of the deployer's includes that nginx loads. */
const VETTED_DIR = 'deployer';
const INCLUDE_DIRS = [NGINX_HTTP_DIR, NGINX_SERVER_DIR];

export interface OriginNginxOptions {
  /** The nginx prefix this instance owns (config, logs, temp). Absolute. */
  dir: string;
  /** The release store, which the deployer owns; its `nginx/` holds the deployer's includes. */
  deployRoot: string;
  runId: string;
  /** A user app's basePath or path assetPrefix (`/docs`): where `/_next/static` sits in URLs. */
  staticPrefix?: string;
  /**
   * `single-origin` (default): static files from the release store, the rest to one app server.
   * `rolling`: the ingress of a Kubernetes Deployment: everything, `/_next/static` included, to
   * the Service's pods round-robin (each pod serves its own build's files, as `next start` does).
   */
  mode?: 'single-origin' | 'rolling';
  /** Where a rewrite of the deployer's includes is said (the run's progress log). */
  log?: (line: string) => void;
}

/** The rolling world's pods as the ingress routes to them. */
export interface PodRoutes {
  /** Ports of the pods behind the Service, round-robin: every request nothing else routes. */
  service: readonly number[];
  /** Each release that has pods: its own listener (the port a deployer's map routes to) and its pods. */
  releases: readonly { id: string; port: number; pods: readonly number[] }[];
}

/** Where the origin sends what is not a static file, and which releases it looks static files up in. */
export interface OriginRoutes {
  /** Port of the app server (the process manager's `current`); none before the first deploy. */
  app?: number;
  /** Release ids, newest first: `/_next/static` is looked up in current, then these, then the merged store. */
  kept: readonly string[];
  /** The rolling world: the pods instead of one app server. */
  pods?: PodRoutes;
  /** Every server the stack runs now (kept releases' too): the ports a deployer's map may route to. */
  servers?: readonly number[];
}

/**
 * The single-origin world's web server, as on the rollback document's VPS: nginx in front of the
 * one `next start`. It serves `/_next/static` from the release store (current, kept releases,
 * the merged store) and proxies everything else to `$skew_backend`, the app server the process
 * manager runs for `current`. The deployer owns part of it: `$SKEW_DEPLOY_ROOT/nginx/http.d/*.conf`
 * at http level and `nginx/server.d/*.conf` in the server, so a team can route by deployment id
 * itself. Every reload is `nginx -t` first: a configuration that fails keeps the previous one
 * serving, and the deployer hears nginx's own message.
 */
export class OriginNginx {
  private generation = 0;
  /** Every port the stack gave a server this run: what the deployer's includes may connect to. */
  private readonly stackPorts = new Set<number>();
  private saidRewrites = '';
  /** Upstreams skew's generated files define (the rolling world's Service and releases). */
  private readonly skewUpstreams = new Set(['skew_service']);

  private constructor(
    readonly port: number,
    private readonly opts: OriginNginxOptions,
    private readonly configFile: string,
    private readonly runtime: ProcessRuntime,
    private readonly user: SandboxUser | undefined,
  ) {}

  static async start(opts: OriginNginxOptions): Promise<OriginNginx> {
    for (const d of ['logs', 'temp']) await mkdir(join(opts.dir, d), { recursive: true });
    for (const d of INCLUDE_DIRS) await mkdir(join(opts.deployRoot, d), { recursive: true });
    await writeVetted(join(opts.dir, VETTED_DIR), []);
    const user = await unprivileged(opts);
    const port = await freePort();
    const configFile = join(opts.dir, 'nginx.conf');
    await writeFile(configFile, renderOriginConfig({ ...opts, prefix: opts.dir, port, unprivileged: user !== undefined }));
    const o = new OriginNginx(port, opts, configFile, new ProcessRuntime('nginx', user), user);
    await o.writeRoutes({ kept: [] });
    if (user) await handOver(user, [opts.dir]);
    try {
      await o.runtime.start({ prefix: opts.dir, configFile, mounts: [], runId: `${opts.runId}-origin` });
      await o.awaitGeneration();
    } catch (e) {
      await o.runtime.stop().catch(() => {});
      throw e;
    }
    return o;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Points the origin at an app server and the kept releases, with the deployer's includes as
   * they are now: `nginx -t`, then a graceful reload, then a wait until the new generation
   * answers. A configuration nginx rejects is the deployer's (skew's own parts are generated):
   * DEPLOYER_FAILED with nginx's message, and the previous configuration keeps serving.
   */
  async route(r: OriginRoutes): Promise<void> {
    for (const p of [
      r.app,
      ...(r.servers ?? []),
      ...(r.pods?.service ?? []),
      ...(r.pods?.releases.flatMap((x) => [x.port, ...x.pods]) ?? []),
    ])
      if (p) this.stackPorts.add(p);
    for (const x of r.pods?.releases ?? []) this.skewUpstreams.add(`skew_release_${x.id}`);
    const includes = await this.vetted();
    const previous = await Promise.all(GENERATED.map((f) => readFile(join(this.opts.dir, f), 'utf8')));
    const previousIncludes = await readVetted(join(this.opts.dir, VETTED_DIR));
    await this.writeRoutes(r);
    await writeVetted(join(this.opts.dir, VETTED_DIR), includes);
    const rejected = await ProcessRuntime.test({ prefix: this.opts.dir, configFile: this.configFile }, 'nginx', this.user);
    if (rejected) {
      await Promise.all(GENERATED.map((f, i) => writeFile(join(this.opts.dir, f), previous[i]!)));
      await writeVetted(join(this.opts.dir, VETTED_DIR), previousIncludes);
      this.generation--;
      const first = rejected.find((l) => l.includes('[emerg]')) ?? rejected[0] ?? 'nginx -t failed';
      throw new HarnessError(
        'DEPLOYER_FAILED',
        `the origin nginx rejected the deployer's configuration: ${first.replace(/^nginx: /, '')}`,
        `fix the files under ${join(this.opts.deployRoot, NGINX_DIR)}/ (nginx -t output below); the previous configuration keeps serving`,
        { details: rejected },
      );
    }
    await this.runtime.reload();
    await this.awaitGeneration();
  }

  async stop(): Promise<void> {
    await this.runtime.stop();
  }

  /**
   * The deployer's includes as they are now, vetted (harness/stack/nginx-includes.ts): a refusal
   * is DEPLOYER_FAILED naming each directive, and nothing changes; a rewrite is said once.
   */
  private async vetted(): Promise<VettedFile[]> {
    const files: VettedFile[] = [];
    const refusals: string[] = [];
    for (const d of INCLUDE_DIRS) {
      const names = (await readdir(join(this.opts.deployRoot, d)).catch(() => [] as string[])).filter((n) => n.endsWith('.conf')).sort();
      for (const n of names) {
        const path = join(this.opts.deployRoot, d, n);
        // Read as root: a symlink would hand nginx (and its error messages) any file of the machine.
        const st = await lstat(path).catch(() => undefined);
        if (!st?.isFile()) {
          if (st) refusals.push(`${d}/${n}: not a regular file (a symlink or other): write the configuration itself there`);
          continue;
        }
        files.push({ name: `${d}/${n}`, text: await readFile(path, 'utf8') });
      }
    }
    const v = vetIncludes(files, {
      deployRoot: this.opts.deployRoot,
      logsDir: join(this.opts.dir, 'logs'),
      ports: this.stackPorts,
      skewVariables: new Set(['skew_backend', 'skew_generation']),
      skewUpstreams: this.skewUpstreams,
    });
    refusals.push(...v.refusals);
    if (refusals.length)
      throw new HarnessError(
        'DEPLOYER_FAILED',
        // Every refusal in the message: a deployer hears only that, in the process manager's answer.
        `the origin nginx refused the deployer's configuration: ${refusals.slice(0, 5).join('; ')}${refusals.length > 5 ? ` (and ${refusals.length - 5} more)` : ''}`,
        `the includes under ${join(this.opts.deployRoot, NGINX_DIR)}/ may reach only the deploy root and the stack's servers on 127.0.0.1 (docs/deployer-contract.md); the previous configuration keeps serving`,
        { details: refusals },
      );
    const said = v.rewrites.join('\n');
    if (said && said !== this.saidRewrites) for (const line of v.rewrites) this.opts.log?.(`origin nginx: rewrote the deployer's ${line}`);
    this.saidRewrites = said;
    return v.files;
  }

  logs(): string[] {
    return this.runtime.logs();
  }

  private async writeRoutes(r: OriginRoutes): Promise<void> {
    this.generation++;
    const files = renderOriginRoutes(r, this.generation, this.opts.mode ?? 'single-origin');
    for (const f of GENERATED) await writeFile(join(this.opts.dir, f), files[f]!);
  }

  private async awaitGeneration(): Promise<void> {
    const want = String(this.generation);
    await waitFor(
      `the origin nginx to load generation ${want}`,
      async () => (await (await fetch(`${this.url}/__skew/generation`)).text()).trim() === want,
      { timeoutMs: 10_000, logs: () => this.runtime.logs() },
    );
  }
}

/** The generated files of one route generation (app.conf, static.conf, pods.conf): pure, for tests. */
export function renderOriginRoutes(r: OriginRoutes, generation: number, mode: 'single-origin' | 'rolling'): Record<string, string> {
  const head = `# generated by skew, generation ${generation}`;
  if (mode === 'single-origin') {
    const app = r.app ? `127.0.0.1:${r.app}` : '127.0.0.1:9'; // before the first deploy: a closed port, 502
    return {
      [APP_CONF]: `${head}: the process manager's current app server\nset $skew_backend ${app};\nset $skew_generation ${generation};\n`,
      [STATIC_CONF]: `${head}\n${staticTryFiles(r.kept)}\n`,
      [PODS_CONF]: `${head}: no pods in the single-origin world\n`,
    };
  }
  // An upstream needs a server: before the first deploy (or a release without pods) a closed port, 502.
  const servers = (ports: readonly number[]) => (ports.length ? ports : [9]).map((p) => `  server 127.0.0.1:${p};`).join('\n');
  const pods = r.pods ?? { service: [], releases: [] };
  const releases = pods.releases.map(
    (x) => `upstream skew_release_${x.id} {\n${servers(x.pods)}\n}
# ${x.id}'s own Service: what the process manager's start/${x.id} answers, for a deployer's map to route to.
server {
  listen 127.0.0.1:${x.port};
${PROXY_HEADERS}
  location / { proxy_pass http://skew_release_${x.id}; }
}`,
  );
  return {
    [APP_CONF]: `${head}: the Service, every pod of the rollout round-robin\nset $skew_backend skew_service;\nset $skew_generation ${generation};\n`,
    [STATIC_CONF]: `${head}: each pod serves its own build's files\nproxy_pass http://$skew_backend;\n`,
    [PODS_CONF]: `${head}\nupstream skew_service {\n${servers(pods.service)}\n}\n${releases.join('\n')}\n`,
  };
}

/** The origin nginx's configuration: pure, for tests. */
export function renderOriginConfig(c: OriginNginxOptions & { prefix: string; port: number; unprivileged?: boolean }): string {
  const p = c.prefix;
  const { spRe } = staticPrefixOf(c.staticPrefix);
  const rolling = c.mode === 'rolling';
  // Which pod answered (the rolling world's evidence of a mix): its address, through the edge.
  const upstream = rolling ? '\n      add_header X-Skew-Upstream $upstream_addr always;' : '';
  const staticFiles = rolling
    ? `    # Static files from the pods, each serving its own build's (next start sends their Cache-Control).
    location ~ "^${spRe}/_next/static/(?<p>.+)$" {${upstream}
      include ${nginxPath(`${p}/${STATIC_CONF}`)};
    }`
    : `    # Static files from the release store, as the web server of the rollback document serves them.
    location ~ "^${spRe}/_next/static/(?<p>.+)$" {
      # No "always": only a 200 is immutable.
      add_header Cache-Control "public, max-age=31536000, immutable";
      include ${nginxPath(`${p}/${STATIC_CONF}`)};
    }`;
  return `# generated by skew: the origin's own nginx (${rolling ? "rolling world: the Deployment's ingress" : 'single-origin world'}). Do not edit; the deployer's
# part is ${c.deployRoot}/${NGINX_DIR}/.
${c.unprivileged ? '# Started as an unprivileged user: master and workers run as that user.' : 'user root;'}
worker_processes 1;
worker_shutdown_timeout 1s;
daemon off;
pid ${nginxPath(`${p}/nginx.pid`)};
error_log stderr notice;
events { worker_connections 4096; }

http {
${httpCommon(p)}
  log_format origin escape=json '{"t":$msec,"method":"$request_method","uri":"$request_uri","status":$status,'
    '"upstream":"$upstream_addr","dplHeader":"$http_x_deployment_id","dpl":"$arg_dpl"}';
  access_log ${nginxPath(`${p}/logs/access.log`)} origin;

  # The pods: the Service and each release's own upstream and listener (rolling world only).
  include ${nginxPath(`${p}/${PODS_CONF}`)};
  # The deployer's http-level configuration (maps, upstreams), as vetted from ${c.deployRoot}/${NGINX_HTTP_DIR}.
  include ${nginxPath(`${p}/${VETTED_DIR}/${NGINX_HTTP_DIR}/*.conf`)};

  server {
    listen 127.0.0.1:${c.port};
    server_name _;
    root ${nginxPath(c.deployRoot)};
    disable_symlinks off;

${PROXY_HEADERS}

    # The app server(s) unpinned requests go to ($skew_backend) and the route generation.
    include ${nginxPath(`${p}/${APP_CONF}`)};
    # The deployer's server-level configuration, vetted: it may set $skew_backend from its own map.
    include ${nginxPath(`${p}/${VETTED_DIR}/${NGINX_SERVER_DIR}/*.conf`)};

    location = /__skew/generation { access_log off; return 200 "$skew_generation\\n"; }

${staticFiles}

    location / {${upstream}
      proxy_pass http://$skew_backend;
    }
  }
}
`;
}

/**
 * The user the origin nginx runs as: the sandbox's (it loads the deployer's includes, so a
 * directive the vetting misses acts with no more right than the deployer has), or, where that
 * user cannot reach the origin's folder or the deploy root (a folder above closed to others),
 * skew's own, saying why.
 */
async function unprivileged(opts: OriginNginxOptions): Promise<SandboxUser | undefined> {
  const user = sandboxUser();
  if (!user) return undefined;
  const blocked = unreachable(user, [
    { path: join(opts.dir, '..'), need: 'x' },
    { path: opts.deployRoot, need: 'x' },
  ]);
  if (!blocked.length) return user;
  opts.log?.(
    `origin nginx: uid ${user.uid} cannot reach ${blocked.join(', ')}: it runs as root (chmod o+x the folders above to run it unprivileged)`,
  );
  return undefined;
}

/** The vetted copies now in place, to put back when nginx -t refuses the new ones. */
async function readVetted(dir: string): Promise<VettedFile[]> {
  const out: VettedFile[] = [];
  for (const d of INCLUDE_DIRS)
    for (const n of (await readdir(join(dir, d)).catch(() => [] as string[])).sort())
      out.push({ name: `${d}/${n}`, text: await readFile(join(dir, d, n), 'utf8') });
  return out;
}

async function writeVetted(dir: string, files: readonly VettedFile[]): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const d of INCLUDE_DIRS) await mkdir(join(dir, d), { recursive: true });
  for (const f of files) await writeFile(join(dir, f.name), f.text);
}
