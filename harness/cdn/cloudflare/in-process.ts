import type { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';

/**
 * The handlers intercepting `https://api.cloudflare.com` inside this process, for deployers
 * written in JS (fetch, node:http, SDKs): they keep their production URL.
 *
 * `onUnhandledFrame: 'bypass'` (msw 3's name; the old `onUnhandledRequest` key is silently
 * ignored) lets every other request through untouched: the harness's own traffic to the edge and
 * origins on 127.0.0.1 must never be mocked. Nothing escapes to the real Cloudflare: the handlers
 * end with a catch-all for the API base.
 *
 * msw patches process-wide globals (fetch, http/https, XMLHttpRequest): run one at a time.
 */
export interface InProcessPurgeApi extends Disposable {
  close(): void;
}

export function startInProcess(handlers: HttpHandler[]): InProcessPurgeApi {
  const server = setupServer(...handlers);
  server.listen({ onUnhandledFrame: 'bypass' });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    server.close();
  };
  return { close, [Symbol.dispose]: close };
}
