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

/** `n` visits to fresh URLs (no cache holds them). */
async function visits(n: number, path: string, headers: Record<string, string> = {}) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await visit(`${path}${path.includes('?') ? '&' : '?'}v=${i}-${Math.random()}`, headers));
  return out;
}

describe('the rolling world: a Deployment of pods behind one round-robin Service (real processes)', () => {
  let dir: string;
  let stack: Stack;
  let a: Build;
  let b: Build;
  const deploy = (build: Build) => deployDirect(getDeployer('releases-symlink'), stack, build);

  beforeAll(async () => {
    a = await getBuild({ variant: 'A' });
    b = await getBuild({ variant: 'B' });
    dir = await mkdtemp(join(tmpdir(), 'skew rolling-'));
    stack = await Stack.start({ dir, cdn: 'process', world: 'rolling', runId: `rolling-test-${process.pid}` });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the replicas of current, and the Service spreads requests over them', async () => {
    await deploy(a);
    expect(Object.keys(stack.originUrls()).sort()).toEqual([`${a.deploymentId}-1`, `${a.deploymentId}-2`]);
    const seen = await visits(6, `${stack.url}/about`);
    expect(new Set(seen.map((s) => s.deployment))).toEqual(new Set([a.deploymentId]));
    expect(new Set(seen.map((s) => s.pod)).size).toBe(2);
    // pm2 restart is the single-origin world's: refused here with a hint, the pods untouched.
    await expect(stack.reconcile({ restart: true })).rejects.toMatchObject({
      code: 'INVALID_SCENARIO',
      hint: expect.stringContaining('plain POST'),
    });
    expect(Object.keys(stack.originUrls()).sort()).toEqual([`${a.deploymentId}-1`, `${a.deploymentId}-2`]);
  });

  it("mixes both builds while a rollout runs, a pinned request included, and stops A's pods only once B's serve", async () => {
    const bOnly = b.assets.find((x) => x.url.includes('/chunks/') && !a.assets.some((y) => y.url === x.url))!;
    let mid: { pages: Awaited<ReturnType<typeof visits>>; pinned: Awaited<ReturnType<typeof visits>>; chunk: number[] } | undefined;
    stack.holdRollout(async () => {
      expect(stack.current).toBeUndefined();
      mid = {
        pages: await visits(12, `${stack.url}/about`),
        pinned: await visits(12, `${stack.url}/about`, { 'x-deployment-id': a.deploymentId }),
        chunk: await Promise.all(
          Array.from(
            { length: 12 },
            async (_, i) => (await fetch(`${stack.url}${bOnly.url}${bOnly.url.includes('?') ? '&' : '?'}m=${i}`)).status,
          ),
        ),
      };
    });
    await deploy(b);
    expect(mid).toBeDefined();
    // Two pods of each build behind the Service: every kind of request lands on either.
    expect(new Set(mid!.pages.map((s) => s.deployment))).toEqual(new Set([a.deploymentId, b.deploymentId]));
    expect(new Set(mid!.pinned.map((s) => s.deployment))).toEqual(new Set([a.deploymentId, b.deploymentId]));
    expect(new Set(mid!.pages.map((s) => s.pod)).size).toBe(4);
    // B's own chunk is there on B's pods only: a new visitor's page loses some of its files.
    expect(new Set(mid!.chunk)).toEqual(new Set([200, 404]));
    // After the rollout: B's two pods, A's gone.
    expect(stack.current).toBe(b.deploymentId);
    expect(Object.keys(stack.originUrls()).sort()).toEqual([`${b.deploymentId}-3`, `${b.deploymentId}-4`]);
    expect(new Set((await visits(6, `${stack.url}/about`)).map((s) => s.deployment))).toEqual(new Set([b.deploymentId]));
  });

  it("keeps a release's pods outside the Service when the deployer asks, and a map in its include pins to them", async () => {
    const control = await startControlPlane({
      purge: async () => ({ evicted: [] }),
      onPurge: () => {},
      reload: async () => {},
      processManager: stack,
    });
    try {
      const pm = control.processManagerUrl!;
      const started = await fetch(`${pm}/start/${a.deploymentId}`, { method: 'POST' });
      expect(started.status).toBe(200);
      const { port } = (await started.json()) as { port: number };
      // A's own listener answers with A's pods; the Service stays B.
      expect(new Set((await visits(4, `http://127.0.0.1:${port}/about`)).map((s) => s.deployment))).toEqual(new Set([a.deploymentId]));
      await writeFile(
        join(stack.deployRoot, NGINX_HTTP_DIR, 'pin.conf'),
        `map $http_x_deployment_id $pin { default ""; "${a.deploymentId}" 127.0.0.1:${port}; }\n`,
      );
      await writeFile(join(stack.deployRoot, NGINX_SERVER_DIR, 'pin.conf'), 'if ($pin) { set $skew_backend $pin; }\n');
      await stack.reconcile();
      const pinned = await visits(8, `${stack.url}/about`, { 'x-deployment-id': a.deploymentId });
      expect(new Set(pinned.map((s) => s.deployment))).toEqual(new Set([a.deploymentId]));
      expect(new Set((await visits(6, `${stack.url}/about`)).map((s) => s.deployment))).toEqual(new Set([b.deploymentId]));
      expect(((await (await fetch(pm)).json()) as { servers: { id: string }[] }).servers.map((s) => s.id).sort()).toEqual(
        [a.deploymentId, b.deploymentId].sort(),
      );
      expect((await fetch(`${pm}/stop/${a.deploymentId}`, { method: 'POST' })).status).toBe(200);
      expect(Object.keys(stack.originUrls()).every((p) => p.startsWith(b.deploymentId))).toBe(true);
    } finally {
      await control.close();
    }
  });

  it('leaves nothing running: the ingress, every pod and the edge stop with the stack', async () => {
    await stack.stop();
    expect(liveChildren()).toEqual([]);
  });
});
