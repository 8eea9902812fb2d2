import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { purgeApiHandlers, type PurgeApiRecord, type PurgeFaultAction } from '../cdn/cloudflare/purge-api.ts';
import { startLoopbackServer, type LoopbackPurgeApi } from '../cdn/cloudflare/loopback-server.ts';
import type { PurgeRequest } from '../cdn/purge.ts';
import { isHarnessError } from '../errors/harness-error.ts';
import type { Platform, Revision } from '../platform/platform.ts';

/**
 * What a deployer talks to besides the file system, on loopback: the Cloudflare-compatible
 * purge API (really evicting from our edge) and the process manager's reload (`pm2 reload`).
 * One per run; every call is reported to the caller for the history.
 */
export interface ControlPlane extends AsyncDisposable {
  cloudflare: { apiBase: string; zoneId: string; token: string };
  /** POST here = the process manager reloads (origins match the release store, edge routes). */
  reloadUrl: string;
  /** The platform API (revisions, traffic), when the stack is a platform. */
  platformUrl?: string;
  /** single-origin: the process manager's per-release servers (`pm2 start/delete`). */
  processManagerUrl?: string;
  /** Installs (or with undefined removes) an injected fault of the purge API. */
  setPurgeFault(decide: (() => PurgeFaultAction | undefined) | undefined): void;
  /** Installs (or removes) a fault of the platform API's traffic reads (`GET /platform/status`). */
  setPlatformFault(decide: (() => PlatformFaultAction | undefined) | undefined): void;
  close(): Promise<void>;
}

/** How an injected fault answers a traffic read: the API server's own error (a Kubernetes Status). */
export interface PlatformFaultAction {
  status: 500 | 503 | 504;
  fault: string;
}

/** How the process manager reloads: `pm2 reload` (the default: the new server first) or `pm2 restart` (the old one stops first). */
export interface ReloadHow {
  restart?: boolean;
}

export interface ControlPlaneOptions {
  purge: (req: PurgeRequest) => Promise<{ evicted: string[]; reach?: string }>;
  onPurge: (r: PurgeApiRecord) => void;
  /** `restart`: the deployer asked for `pm2 restart` (`?mode=restart`), not `pm2 reload`. */
  reload: (how: ReloadHow) => Promise<void>;
  /** Called after each accepted purge and each reload, before the deployer gets its answer. */
  afterChange?: (what: 'purge' | 'reload') => Promise<void>;
  platform?: Platform;
  onRevision?: (r: Revision) => void;
  /** single-origin: servers for releases besides current, started and stopped by the deployer. */
  processManager?: ProcessManager;
}

/** The process manager's per-release servers in the single-origin world (Stack implements it). */
export interface ProcessManager {
  startRelease(id: string): Promise<number>;
  stopRelease(id: string): Promise<void>;
  releaseServers(): { current?: string; servers: { id: string; port: number }[] };
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  // Shaped like Cloudflare's: 32 hex zone id, 40 char token. Fresh per run.
  const zoneId = randomBytes(16).toString('hex');
  const token = randomBytes(20).toString('base64url').slice(0, 40);
  let purgeFault: (() => PurgeFaultAction | undefined) | undefined;
  let platformFault: (() => PlatformFaultAction | undefined) | undefined;
  const api: LoopbackPurgeApi = await startLoopbackServer(
    purgeApiHandlers({
      zoneId,
      token,
      purge: opts.purge,
      onPurge: opts.onPurge,
      afterPurge: () => opts.afterChange?.('purge') ?? Promise.resolve(),
      fault: () => purgeFault?.(),
    }),
  );
  let reloadServer: Server;
  try {
    reloadServer = await startReloadServer(
      async (how) => {
        await opts.reload(how);
        await opts.afterChange?.('reload');
      },
      opts.platform && platformApi(opts.platform, () => platformFault?.(), opts.onRevision),
      opts.processManager && processManagerApi(opts.processManager),
    );
  } catch (e) {
    await api.close();
    throw e;
  }
  const { port } = reloadServer.address() as AddressInfo;
  const close = async () => {
    reloadServer.closeAllConnections();
    await new Promise<void>((r) => reloadServer.close(() => r()));
    await api.close();
  };
  return {
    cloudflare: { apiBase: api.baseUrl, zoneId, token },
    reloadUrl: `http://127.0.0.1:${port}/reload`,
    ...(opts.platform ? { platformUrl: `http://127.0.0.1:${port}/platform` } : {}),
    ...(opts.processManager ? { processManagerUrl: `http://127.0.0.1:${port}/pm` } : {}),
    setPurgeFault: (decide) => {
      purgeFault = decide;
    },
    setPlatformFault: (decide) => {
      platformFault = decide;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * `POST /reload` → 200 once origins and edge match the store; 500 with the reason otherwise.
 * `POST /reload?mode=restart` is `pm2 restart` (single-origin). With a platform, `/platform/…` is
 * its API.
 */
async function startReloadServer(reload: (how: ReloadHow) => Promise<void>, platform?: Handler, pm?: Handler): Promise<Server> {
  const server = createServer((req, res) => {
    if (pm && (req.url === '/pm' || req.url?.startsWith('/pm/'))) return pm(req, res, '');
    if (platform && req.url?.startsWith('/platform/')) {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c.length + body.length > 1_000_000 ? '' : c));
      req.on('end', () => platform(req, res, body));
      return;
    }
    const restart = req.url === '/reload?mode=restart';
    if (req.method !== 'POST' || (req.url !== '/reload' && !restart)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /reload (or /reload?mode=restart)\n');
      return;
    }
    reload({ restart }).then(
      () => res.writeHead(200, { 'content-type': 'text/plain' }).end('reloaded\n'),
      (e: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`reload failed: ${e instanceof Error ? e.message : String(e)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return server;
}

/**
 * The platform API, shaped like the Kubernetes objects the knext document reads:
 * `GET /platform/status` → the NextApp with `status.currentTraffic`; `GET /platform/revisions`
 * and `/platform/revisions/<name>` → revisions with `metadata.labels`; `POST /platform/revisions`
 * `{ metadata: { name?, labels }, spec: { deploymentId } }` creates one (its origin starts when
 * the deployer's action ends; the scenario's rollout then gives it traffic).
 */
function platformApi(p: Platform, fault: () => PlatformFaultAction | undefined, onRevision?: (r: Revision) => void): Handler {
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const asObject = (r: Revision) => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: { name: r.name, labels: r.labels },
    spec: { deploymentId: r.deploymentId },
  });
  return (req, res, body) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method === 'GET' && path === '/platform/status') {
      const failed = fault();
      // What kube-apiserver answers when it cannot serve the read (etcd away, overloaded, timed out).
      if (failed)
        return json(res, failed.status, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: failed.status === 504 ? 'Timeout' : failed.status === 503 ? 'ServiceUnavailable' : 'InternalError',
          message:
            failed.status === 504
              ? 'the server was unable to return a response in the time allotted'
              : 'the server is currently unable to handle the request',
          code: failed.status,
        });
      return json(res, 200, {
        apiVersion: 'knext.dev/v1',
        kind: 'NextApp',
        metadata: { name: p.app },
        status: { currentTraffic: p.currentTraffic },
      });
    }
    if (req.method === 'GET' && path === '/platform/revisions') return json(res, 200, { items: p.revisions.map(asObject) });
    const one = /^\/platform\/revisions\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && one) {
      const r = p.revision(decodeURIComponent(one[1]!));
      return r
        ? json(res, 200, asObject(r))
        : json(res, 404, { kind: 'Status', status: 'Failure', reason: 'NotFound', message: `revisions "${one[1]}" not found` });
    }
    if (req.method === 'POST' && path === '/platform/revisions') {
      try {
        const input = JSON.parse(body || '{}') as {
          metadata?: { name?: string; labels?: Record<string, string> };
          spec?: { deploymentId?: string };
        };
        const r = p.createRevision({
          deploymentId: String(input.spec?.deploymentId ?? ''),
          ...(input.metadata?.labels ? { labels: input.metadata.labels } : {}),
          ...(input.metadata?.name ? { name: input.metadata.name } : {}),
        });
        onRevision?.(r);
        return json(res, 201, asObject(r));
      } catch (e) {
        return json(res, 400, {
          kind: 'Status',
          status: 'Failure',
          reason: 'BadRequest',
          message: isHarnessError(e) ? `${e.message} (${e.hint})` : `invalid JSON: ${String(e)}`,
        });
      }
    }
    return json(res, 404, {
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      message: 'GET /platform/status, GET /platform/revisions[/<name>], POST /platform/revisions',
    });
  };
}

/**
 * The process manager's API in the single-origin world, for a deployer's own skew protection:
 * `POST /pm/start/<id>` runs a server for release `<id>` besides current (`pm2 start`) and answers
 * `{ id, port }`, the port its nginx map may route to; `POST /pm/stop/<id>` stops it (`pm2
 * delete`); `GET /pm` lists `{ current, servers: [{ id, port }] }`.
 */
function processManagerApi(pm: ProcessManager): Handler {
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
  return (req, res) => {
    const m = /^\/pm\/(start|stop)\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})$/.exec(req.url ?? '');
    if (req.method === 'GET' && req.url === '/pm') return json(res, 200, pm.releaseServers());
    if (req.method !== 'POST' || !m) return json(res, 404, { error: 'GET /pm, POST /pm/start/<release id>, POST /pm/stop/<release id>' });
    const [, verb, id] = m as unknown as [string, 'start' | 'stop', string];
    const done =
      verb === 'start' ? pm.startRelease(id).then((port) => ({ id, port })) : pm.stopRelease(id).then(() => ({ id, stopped: true }));
    done.then(
      (body) => json(res, 200, body),
      (e: unknown) =>
        json(res, isHarnessError(e) && e.code === 'DEPLOYER_FAILED' ? 409 : 500, { error: e instanceof Error ? e.message : String(e) }),
    );
  };
}
