import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Load } from './load.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A page (`/`, with or without a query) that references two files; `gone` answers 404 once `deleted` is set. */
async function site(): Promise<{ url: string; deleteGone(): void; hits: Map<string, number> }> {
  let deleted = false;
  const hits = new Map<string, number>();
  server = createServer((req, res) => {
    hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
    if (req.url === '/' || req.url!.startsWith('/?'))
      return res.end('<script src="/_next/static/chunks/kept.js?dpl=a-1"></script><link href="/_next/static/chunks/gone.css?dpl=a-1">');
    if (req.url!.startsWith('/_next/static/chunks/gone.css') && deleted) return res.writeHead(404).end();
    res.end('ok');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, deleteGone: () => (deleted = true), hits };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Load (real HTTP on loopback)', () => {
  it("tabs keep fetching their build's files; a file deleted mid-run shows as http-404 in the phase it started in", async () => {
    const s = await site();
    const load = Load.start({ edgeUrl: s.url, clients: 20, thinkMs: 5 });
    load.setPhase('before');
    await sleep(400);
    load.setPhase('deploy B');
    await sleep(50); // requests that started in 'before' have finished
    s.deleteGone();
    await sleep(400);
    const r = await load.stop();
    expect(r.clients).toBe(20);
    const before = r.phases.find((p) => p.phase === 'before')!;
    const during = r.phases.find((p) => p.phase === 'deploy B')!;
    expect(before.requests).toBeGreaterThan(20);
    expect(before.errors).toEqual({});
    expect(during.errors['http-404']).toBeGreaterThan(0);
    expect(r.errors['http-404']).toBe(during.errors['http-404']);
    expect(r.samples[0]).toMatch(/^deploy B: http-404 for \/_next\/static\/chunks\/gone\.css\?dpl=a-1$/);
    expect(before.p99).toBeGreaterThanOrEqual(before.p50);
    // Both kinds of client ran: the page and both files were asked for.
    expect(s.hits.get('/')).toBeGreaterThan(10);
    // Half of the visitors' pages come through a campaign link, each its own URL (past any cache).
    const campaign = [...s.hits.keys()].filter((u) => /^\/\?utm_source=skew-load&utm_id=\d+-\d+$/.test(u));
    expect(campaign.length).toBeGreaterThan(5);
    expect(s.hits.get('/_next/static/chunks/kept.js?dpl=a-1')).toBeGreaterThan(10);
  });

  it('counts refused connections, and stops within its own deadline', async () => {
    const s = await site();
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const t = Date.now();
    const load = Load.start({ edgeUrl: s.url, clients: 5, thinkMs: 5, maxMs: 300 });
    await sleep(600);
    const r = await load.stop();
    expect(r.errors.refused).toBeGreaterThan(0);
    expect(Date.now() - t).toBeLessThan(5_000);
  });

  it('goes to loopback only', () => {
    expect(() => Load.start({ edgeUrl: 'http://example.com', clients: 1 })).toThrow(/loopback only/);
  });
});
