import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { purgeApiHandlers, type PurgeApiRecord } from '../cdn/cloudflare/purge-api.ts';
import { startLoopbackServer, type LoopbackPurgeApi } from '../cdn/cloudflare/loopback-server.ts';
import type { PurgeRequest } from '../cdn/purge.ts';

/**
 * What a deployer talks to besides the file system, on loopback: the Cloudflare-compatible
 * purge API (really evicting from our edge) and the process manager's reload (`pm2 reload`).
 * One per run; every call is reported to the caller for the history.
 */
export interface ControlPlane extends AsyncDisposable {
  cloudflare: { apiBase: string; zoneId: string; token: string };
  /** POST here = the process manager reloads (origins match the release store, edge routes). */
  reloadUrl: string;
  close(): Promise<void>;
}

export interface ControlPlaneOptions {
  purge: (req: PurgeRequest) => Promise<{ evicted: string[] }>;
  onPurge: (r: PurgeApiRecord) => void;
  reload: () => Promise<void>;
  /** Called after each accepted purge and each reload, before the deployer gets its answer. */
  afterChange?: (what: 'purge' | 'reload') => Promise<void>;
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  // Shaped like Cloudflare's: 32 hex zone id, 40 char token. Fresh per run.
  const zoneId = randomBytes(16).toString('hex');
  const token = randomBytes(20).toString('base64url').slice(0, 40);
  const api: LoopbackPurgeApi = await startLoopbackServer(purgeApiHandlers({ zoneId, token, purge: opts.purge, onPurge: opts.onPurge, afterPurge: () => opts.afterChange?.('purge') ?? Promise.resolve() }));
  let reloadServer: Server;
  try {
    reloadServer = await startReloadServer(async () => {
      await opts.reload();
      await opts.afterChange?.('reload');
    });
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
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** `POST /reload` → 200 once origins and edge match the store; 500 with the reason otherwise. */
async function startReloadServer(reload: () => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/reload') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /reload\n');
      return;
    }
    reload().then(
      () => res.writeHead(200, { 'content-type': 'text/plain' }).end('reloaded\n'),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`reload failed: ${e instanceof Error ? e.message : String(e)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return server;
}
