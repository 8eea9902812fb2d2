import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultLayer } from './fault-layer.ts';

/** A real HTTP origin on loopback: answers "hello from <port>" with a 2 KB body. */
async function origin(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end(`hello from origin ${(server.address() as AddressInfo).port} ${'x'.repeat(2048)}`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

const started: { close(): unknown }[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});

async function setup() {
  const o = await origin();
  const layer = await FaultLayer.start(o.port);
  started.push({ close: () => o.server.close() }, { close: () => layer.stop() });
  return { o, layer };
}

const get = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(5_000) }).then(async (r) => ({ status: r.status, body: await r.text() }));

describe('FaultLayer (real sockets on loopback)', () => {
  it('passes requests through untouched by default', async () => {
    const { layer } = await setup();
    const r = await get(layer.url);
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^hello from origin \d+ x{2048}$/);
  });

  it('refuse closes the port (ECONNREFUSED) and pass opens the same port again', async () => {
    const { layer } = await setup();
    await layer.set({ kind: 'refuse' });
    const err = await get(layer.url).then(
      () => null,
      (e: Error & { cause?: { code?: string } }) => e.cause?.code,
    );
    expect(err).toBe('ECONNREFUSED');
    await layer.set({ kind: 'pass' });
    expect((await get(layer.url)).status).toBe(200);
  });

  it('latency delays each connection by at least the given time', async () => {
    const { layer } = await setup();
    await layer.set({ kind: 'latency', ms: 400 });
    const t0 = Date.now();
    expect((await get(layer.url)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
    expect(layer.counts.delayed).toBe(1);
  });

  it('reset cuts the answer off when hit() says so, and not otherwise', async () => {
    const { layer } = await setup();
    let n = 0;
    await layer.set({ kind: 'reset', hit: () => n++ === 0 });
    await expect(get(layer.url)).rejects.toThrow();
    expect(layer.counts.reset).toBe(1);
    expect((await get(layer.url)).status).toBe(200);
  });

  it('tells onRequest when a request reached the origin, and retarget switches origins without a new port', async () => {
    const { layer } = await setup();
    let requests = 0;
    layer.onRequest = () => requests++;
    await get(layer.url);
    expect(requests).toBe(1);
    const other = await origin();
    started.push({ close: () => other.server.close() });
    const port = layer.port;
    layer.retarget(other.port);
    expect((await get(layer.url)).body).toContain(`hello from origin ${other.port} `);
    expect(layer.port).toBe(port);
  });
});
