import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuild } from '../../../harness/builds/build-cache.ts';
import type { Build } from '../../../harness/builds/types.ts';
import { History } from '../../../harness/core/history.ts';
import { getDeployer } from '../../../harness/deployers/registry.ts';
import { Stack } from '../../../harness/stack/stack.ts';
import { deployDirect } from '../../deploy-direct.ts';
import { currentOnly } from './world.ts';

/** A world from outside harness/stack/worlds, given to Stack.start: real builds, real edge, the reference deployer. */
describe('a world plugged in from its own folder (current-only)', () => {
  let dir: string;
  let stack: Stack;
  let a: Build;
  let b: Build;
  const history = new History();

  beforeAll(async () => {
    a = await getBuild({ variant: 'A' });
    b = await getBuild({ variant: 'B' });
    dir = await mkdtemp(join(tmpdir(), 'skew-world-'));
    stack = await Stack.start({ dir, cdn: 'process', runId: `world-test-${process.pid}`, history }, currentOnly);
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs only current: after deploy B, B answers and A has no server, as the world says', async () => {
    await deployDirect(getDeployer('releases-symlink'), stack, a);
    expect(await (await fetch(`${stack.url}/`)).text()).toContain(`data-dpl-id="${a.deploymentId}"`);
    await deployDirect(getDeployer('releases-symlink'), stack, b);
    expect(stack.current).toBe(b.deploymentId);
    expect(Object.keys(stack.originUrls())).toEqual([b.deploymentId]);
    const page = await fetch(`${stack.url}/?after=b`);
    expect(await page.text()).toContain(`data-dpl-id="${b.deploymentId}"`);
    // A's pinned request has no server to go to in this world: the edge sends it to current.
    const pinned = await fetch(`${stack.url}/?dpl=${a.deploymentId}&pinned=1`);
    expect(await pinned.text()).toContain(`data-dpl-id="${b.deploymentId}"`);
    // The stack's common evidence and the world's own record work as in the shipped worlds.
    expect(history.events.filter((e) => e.type === 'stack').at(-1)).toMatchObject({ current: b.deploymentId, live: [b.deploymentId] });
    expect(stack.observers.map((o) => o.name)).toEqual(['switch-watch', 'database-schema']);
  });

  it('refuses a restart, which is the single-origin world’s', async () => {
    await expect(stack.reconcile({ restart: true })).rejects.toThrow(/this run is in current-only/);
  });
});
