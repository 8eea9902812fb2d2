import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployDirect } from '../../test/deploy-direct.ts';
import { visit } from '../../test/visit.ts';
import { getBuild } from '../builds/build-cache.ts';
import type { Build } from '../builds/types.ts';
import { getDeployer } from '../deployers/registry.ts';
import { liveChildren } from '../io/children.ts';
import { startControlPlane } from './control-plane.ts';
import { NGINX_HTTP_DIR, NGINX_SERVER_DIR } from './origin-nginx.ts';
import { Stack } from './stack.ts';

describe('the single-origin world: one app server behind the origin nginx (real processes)', () => {
  let dir: string;
  let stack: Stack;
  let a: Build;
  let b: Build;
  const deploy = (build: Build) => deployDirect(getDeployer('releases-symlink'), stack, build);

  beforeAll(async () => {
    a = await getBuild({ variant: 'A' });
    b = await getBuild({ variant: 'B' });
    dir = await mkdtemp(join(tmpdir(), 'skew-single-origin-'));
    stack = await Stack.start({ dir, cdn: 'process', world: 'single-origin', runId: `single-origin-test-${process.pid}` });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs one server for current; a reload starts B before it stops A, and no request in between fails', async () => {
    await deploy(a);
    expect(Object.keys(stack.originUrls())).toEqual([a.deploymentId]);
    // Visitors keep coming (URLs no cache holds) while B is deployed: pm2 reload, never a gap.
    let stop = false;
    const seen: { status: number; deployment: string | null }[] = [];
    const visitors = (async () => {
      for (let i = 0; i < 2000 && !stop; i++) seen.push(await visit(`${stack.url}/about?during-reload=${i}`));
    })();
    await deploy(b);
    stop = true;
    await visitors;
    expect(Object.keys(stack.originUrls())).toEqual([b.deploymentId]);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    // A's answers, then B's. While nginx reloads, its old workers still take a few connections
    // (as on any VPS), so A and B may interleave for a moment; after the reload, only B.
    const served = seen.map((s) => s.deployment);
    expect(served[0]).toBe(a.deploymentId);
    expect(served.at(-1)).toBe(b.deploymentId);
    expect(new Set(served)).toEqual(new Set([a.deploymentId, b.deploymentId]));
    expect((await visit(`${stack.url}/about?after-reload=1`)).deployment).toBe(b.deploymentId);
  });

  it("serves every kept release's static files, and sends a request pinned to A to the one server, which is B", async () => {
    const chunk = a.assets.find((x) => x.url.includes('/chunks/') && !b.assets.some((y) => y.url === x.url))!;
    expect((await fetch(`${stack.url}${chunk.url}?dpl=${a.deploymentId}`)).status).toBe(200);
    const pinned = await visit(`${stack.url}/about?pinned-to-a=1`, { 'x-deployment-id': a.deploymentId });
    expect(pinned).toEqual({ status: 200, deployment: b.deploymentId });
  });

  it("includes the deployer's nginx files: a location of its own answers after a reload", async () => {
    await writeFile(join(stack.deployRoot, NGINX_SERVER_DIR, 'team.conf'), 'location = /team-health { return 200 "team nginx\\n"; }\n');
    await writeFile(join(stack.deployRoot, NGINX_HTTP_DIR, 'team.conf'), 'map $http_x_team $team_flag { default "no"; yes "yes"; }\n');
    await stack.reconcile();
    const r = await fetch(`${stack.url}/team-health`);
    expect([r.status, (await r.text()).trim()]).toEqual([200, 'team nginx']);
  });

  it("a configuration nginx rejects fails the reload with nginx's own message; the previous one keeps serving", async () => {
    await writeFile(join(stack.deployRoot, NGINX_SERVER_DIR, 'broken.conf'), 'proxy_pass_everything on;\n');
    const e = await stack.reconcile().then(
      () => undefined,
      (x: unknown) => x as { code: string; message: string; details: string[] },
    );
    expect(e?.code).toBe('DEPLOYER_FAILED');
    expect(e?.message).toMatch(/the origin nginx rejected the deployer's configuration: .*unknown directive "proxy_pass_everything"/);
    expect(e?.details.join('\n')).toContain('broken.conf');
    // Still B, still the team's own location: nothing of the refused configuration was loaded.
    expect((await visit(`${stack.url}/about?after-refused=1`)).deployment).toBe(b.deploymentId);
    expect((await fetch(`${stack.url}/team-health`)).status).toBe(200);
    await rm(join(stack.deployRoot, NGINX_SERVER_DIR, 'broken.conf'));
    await stack.reconcile();
  });

  it("runs a release's server besides current when the deployer asks the process manager (pm2 start/delete over HTTP)", async () => {
    const control = await startControlPlane({
      purge: async () => ({ evicted: [] }),
      onPurge: () => {},
      reload: async () => {},
      processManager: stack,
    });
    try {
      const pm = control.processManagerUrl!;
      const started = await fetch(`${pm}/start/${a.deploymentId}`, { method: 'POST' });
      const { port } = (await started.json()) as { port: number };
      expect(started.status).toBe(200);
      // A's own server answers with A, while the origin nginx's default is still B.
      expect((await visit(`http://127.0.0.1:${port}/about`)).deployment).toBe(a.deploymentId);
      expect((await visit(`${stack.url}/about?pm=1`)).deployment).toBe(b.deploymentId);
      // A reload keeps a server the deployer started; only the previous current goes.
      await stack.reconcile();
      expect((await (await fetch(pm)).json()) as unknown).toEqual({
        current: b.deploymentId,
        servers: expect.arrayContaining([
          { id: a.deploymentId, port },
          { id: b.deploymentId, port: expect.any(Number) },
        ]),
      });
      const unknown = await fetch(`${pm}/start/z-404`, { method: 'POST' });
      expect([unknown.status, ((await unknown.json()) as { error: string }).error]).toEqual([
        409,
        expect.stringContaining('no release z-404'),
      ]);
      expect((await fetch(`${pm}/stop/${a.deploymentId}`, { method: 'POST' })).status).toBe(200);
      expect(Object.keys(stack.originUrls())).toEqual([b.deploymentId]);
      // Stopping current's server is not the deployer's to do: it keeps running.
      expect((await fetch(`${pm}/stop/${b.deploymentId}`, { method: 'POST' })).status).toBe(200);
      expect(Object.keys(stack.originUrls())).toEqual([b.deploymentId]);
    } finally {
      await control.close();
    }
  });

  it('a restart (pm2 restart, the negative control of the reload above) stops B before A listens: requests in between get 502', async () => {
    let stop = false;
    const seen: { status: number; deployment: string | null }[] = [];
    const visitors = (async () => {
      for (let i = 0; i < 4000 && !stop; i++) seen.push(await visit(`${stack.url}/about?during-restart=${i}`));
    })();
    await deployDirect(getDeployer('restart-not-reload'), stack, a);
    stop = true;
    await visitors;
    expect(Object.keys(stack.originUrls())).toEqual([a.deploymentId]);
    const statuses = new Set(seen.map((s) => s.status));
    expect(statuses, JSON.stringify([...statuses])).toContain(502);
    expect(seen[0]!.deployment).toBe(b.deploymentId);
    expect((await visit(`${stack.url}/about?after-restart=1`)).deployment).toBe(a.deploymentId);
  });

  it('leaves nothing running: the origin nginx, the app server and the edge stop with the stack', async () => {
    await stack.stop();
    expect(liveChildren()).toEqual([]);
  });
});
