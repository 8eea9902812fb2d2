import { createServer, type Server } from 'node:http';
import { freePort } from '../harness/io/ports.ts';

/**
 * A small real HTTP origin for edge integration tests: answers like Next does for the kinds of
 * response the edge must treat differently (App Router static HTML with s-maxage, Pages HTML
 * without Cache-Control, gSSP no-store), and stamps which origin answered.
 */
export async function startTinyOrigin(name: string): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const port = await freePort();
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('x-origin', name);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('vary', 'rsc, next-router-state-tree, Accept-Encoding');
    // An i18n proxy's page: cacheable by its Cache-Control, but it sets the locale cookie.
    if (path === '/locale') res.setHeader('set-cookie', 'NEXT_LOCALE=en; Path=/');
    if (path === '/ssr') res.setHeader('cache-control', 'private, no-cache, no-store, max-age=0, must-revalidate');
    else if (path !== '/legacy') res.setHeader('cache-control', 's-maxage=31536000');
    res.end(`<html><body>${name} ${req.url} accept-encoding=${req.headers['accept-encoding'] ?? ''}</body></html>`);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { port, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}
