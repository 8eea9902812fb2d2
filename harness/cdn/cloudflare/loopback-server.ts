import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type HttpHandler } from 'msw';
import { failureResponse } from './purge-api.ts';

/**
 * The msw handlers served on a loopback port, for deployers that are shell scripts: curl cannot be
 * intercepted in-process, so it talks to http://127.0.0.1:PORT/client/v4 instead of
 * https://api.cloudflare.com/client/v4. Each request is rebuilt against the *mocked* origin and
 * answered by msw's `getResponse`, so both paths run the very same handlers.
 * (`@mswjs/http-middleware` would do this, but 0.10 is broken with msw 3.)
 */
export const MOCKED_ORIGIN = 'https://api.cloudflare.com';

export interface LoopbackPurgeApi extends AsyncDisposable {
  /** Drop-in for `https://api.cloudflare.com/client/v4`: `http://127.0.0.1:PORT/client/v4`. */
  readonly baseUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startLoopbackServer(handlers: HttpHandler[]): Promise<LoopbackPurgeApi> {
  const server = createServer((req, res) => {
    serve(handlers, req, res).catch((e: unknown) => {
      // A harness bug: answer in Cloudflare's envelope (1016, as for a failed eviction) rather
      // than leaving the deployer's curl hanging.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          success: false,
          errors: [{ code: 1016, message: `Unable to purge any urls (simulated API failed: ${String(e)})` }],
          messages: [],
          result: null,
        }),
      );
    });
  });
  // Port 0: the kernel picks a free port atomically (no race between picking and binding).
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      // Keep-alive connections would keep close() pending.
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { baseUrl: `http://127.0.0.1:${port}/client/v4`, port, close, [Symbol.asyncDispose]: close };
}

async function serve(handlers: HttpHandler[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  // A client that hangs up (curl --max-time) aborts the request: a held answer stops waiting.
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  const request = await toFetchRequest(req, gone.signal);
  // Outside /client/v4 no handler matches: answer like Cloudflare's router (7000).
  const response =
    (await getResponse(handlers, request)) ?? failureResponse({ status: 404, errors: [{ code: 7000, message: 'No route for that URI' }] });
  const headers: Record<string, string> = {};
  for (const [k, v] of response.headers) headers[k] = v;
  if (res.destroyed) return;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Same method, path, query, headers and body, but addressed to the mocked origin. */
async function toFetchRequest(req: IncomingMessage, signal: AbortSignal): Promise<Request> {
  // req.url is origin-form (`/client/v4/…`) for curl; take only path and query in any case.
  const incoming = new URL(req.url ?? '/', 'http://loopback.invalid');
  const url = new URL(`${incoming.pathname}${incoming.search}`, MOCKED_ORIGIN);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    // Hop-by-hop and framing headers describe this socket, not the rebuilt request.
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks);
  return new Request(url, { method, headers, body, signal });
}

const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'expect',
  'upgrade',
  'proxy-connection',
]);
