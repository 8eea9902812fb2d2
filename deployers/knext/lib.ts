/**
 * The skew-protection document's deploy steps, as a TypeScript module deployer would write them
 * against its platform: upload a build's `.next/static` to the object store (a directory here,
 * one file per object, the file's mtime its upload time), create a revision labelled with the
 * build id, and the build-id-aware GC. Everything comes from the deployer contract.
 */
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DeployContext, Deployer } from '../../harness/deployers/deployer.ts';
import { planGc, type GcPolicy, type StoreObject } from './plan.ts';

export const BUILD_ID_LABEL = 'knext.dev/build-id';

export interface BucketLayout {
  /** `<bucket>/<app>`: the app's prefix, teardown-only. */
  appDir: string;
  /** `<bucket>/<app>/_next/static`: what a flat upload of `.next/static` produces. */
  staticDir: string;
}

export function layout(ctx: DeployContext): BucketLayout {
  if (!ctx.bucket) throw new Error('this deployer needs the platform stack (no bucket in the context)');
  const appDir = join(ctx.bucket.dir, ctx.bucket.app);
  return { appDir, staticDir: join(appDir, '_next', 'static') };
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Additive upload: objects the bucket lacks are written (upload time = now); none is removed. */
export async function uploadAdditive(ctx: DeployContext): Promise<number> {
  const { staticDir } = layout(ctx);
  const src = join(ctx.build.dir, '.next', 'static');
  let uploaded = 0;
  for (const f of await files(src)) {
    const key = relative(src, f);
    const dest = join(staticDir, key);
    if (
      await stat(dest).then(
        () => true,
        () => false,
      )
    )
      continue;
    await mkdir(join(dest, '..'), { recursive: true });
    await copyFile(f, dest); // a fresh mtime: the object's upload time
    uploaded++;
  }
  ctx.log(`uploaded ${uploaded} new objects for ${ctx.build.buildId}`);
  return uploaded;
}

/** The mistake: an upload that mirrors the new build and deletes everything else (rsync --delete). */
export async function uploadMirror(ctx: DeployContext): Promise<void> {
  const { staticDir } = layout(ctx);
  const src = join(ctx.build.dir, '.next', 'static');
  const wanted = new Set((await files(src)).map((f) => relative(src, f)));
  let deleted = 0;
  for (const f of await files(staticDir)) {
    if (!wanted.has(relative(staticDir, f))) {
      await rm(f);
      deleted++;
    }
  }
  await uploadAdditive(ctx);
  ctx.log(`upload mirrored the bucket to ${ctx.build.buildId}: deleted ${deleted} objects`);
}

async function api<T>(ctx: DeployContext, path: string, init?: RequestInit): Promise<T> {
  const base = ctx.endpoints.platformUrl;
  if (!base) throw new Error('this deployer needs the platform API (no platformUrl in the context)');
  const r = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(10_000),
  });
  if (!r.ok) throw new Error(`platform API ${init?.method ?? 'GET'} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** The operator's part of a deploy: a revision running this build, labelled with its build id. */
export async function createRevision(
  ctx: DeployContext,
  labels: Record<string, string> = { [BUILD_ID_LABEL]: ctx.build.buildId },
): Promise<string> {
  const r = await api<{ metadata: { name: string } }>(ctx, '/revisions', {
    method: 'POST',
    body: JSON.stringify({ metadata: { labels }, spec: { deploymentId: ctx.build.deploymentId } }),
  });
  ctx.log(`created revision ${r.metadata.name}`);
  return r.metadata.name;
}

/**
 * The live set, read-only from `status.currentTraffic`: each live revision resolved to a build id
 * through the operator's label. `unresolved` lists revisions whose label is missing or whose
 * read failed.
 */
export async function liveBuildIds(ctx: DeployContext): Promise<{ live: string[]; unresolved: string[]; readFailed?: boolean }> {
  const live: string[] = [];
  const unresolved: string[] = [];
  const app = await api<{ status?: { currentTraffic?: { revisionName: string; percent: number }[] } }>(ctx, '/status').catch(
    (e: unknown) => {
      ctx.log(`reading the traffic table failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    },
  );
  if (!app) return { live, unresolved, readFailed: true };
  for (const t of app.status?.currentTraffic ?? []) {
    const label = await api<{ metadata: { labels?: Record<string, string> } }>(
      ctx,
      `/revisions/${encodeURIComponent(t.revisionName)}`,
    ).then(
      (r) => r.metadata.labels?.[BUILD_ID_LABEL],
      () => undefined,
    );
    if (label) live.push(label);
    else unresolved.push(t.revisionName);
  }
  return { live, unresolved };
}

/** Every object in the app's store with its upload time (the file's mtime). */
export async function listStore(ctx: DeployContext): Promise<StoreObject[]> {
  const { staticDir } = layout(ctx);
  return Promise.all((await files(staticDir)).map(async (f) => ({ key: relative(staticDir, f), uploaded: (await stat(f)).mtimeMs })));
}

/** The build-id-aware GC (plan.ts decides, this deletes): by default only `<app>/_next/static/<buildId>/`. */
export async function gc(ctx: DeployContext, policy: GcPolicy): Promise<string[]> {
  const { appDir, staticDir } = layout(ctx);
  const { live, unresolved, readFailed } =
    policy.keepLive || policy.teardownWhenNoTraffic ? await liveBuildIds(ctx) : { live: [], unresolved: [], readFailed: false };
  const plan = planGc(await listStore(ctx), { resolved: live, unresolved, ...(readFailed ? { readFailed } : {}) }, policy);
  if (plan.skipped) {
    ctx.log(`GC skipped: ${plan.skipped}`);
    return [];
  }
  if (plan.deleteKeys.includes('*')) {
    ctx.log(`GC: no traffic, deleting the app prefix ${appDir}`);
    await rm(appDir, { recursive: true, force: true });
    return ['*'];
  }
  for (const key of plan.deleteKeys) await rm(join(staticDir, key), { force: true });
  // Folders left empty go too (an object store has no folders).
  for (const id of plan.doomed) await rm(join(staticDir, id), { recursive: true, force: true }).catch(() => {});
  ctx.log(
    `GC kept ${plan.kept.join(', ') || 'nothing'}${live.length ? ` (live: ${live.join(', ')})` : ''}; deleted ${plan.doomed.join(', ') || 'no build id'}${plan.deleteKeys.length ? ` (${plan.deleteKeys.length} objects)` : ''}`,
  );
  return plan.deleteKeys;
}

export function retentionOf(ctx: DeployContext): number {
  const n = Number(ctx.options?.assetRetention ?? 3);
  if (!Number.isInteger(n) || n < 1) throw new Error(`assetRetention must be a whole number ≥ 1 (got ${ctx.options?.assetRetention})`);
  return n;
}

/**
 * A deployer of this platform: upload additively, create the labelled revision, then the GC
 * with `policy` (on deploy, rollback and cleanup). A rollback is a traffic change (`split`), so
 * its action only garbage-collects.
 */
export function gcDeployer(
  d: Pick<Deployer, 'name' | 'description' | 'reference'>,
  {
    windowOffset = 0,
    ...policy
  }: Partial<GcPolicy> & { /** Mistake: keeps this many build ids more (or, negative, fewer) than asked. */ windowOffset?: number } = {},
): Deployer {
  return platformDeployer(
    d,
    async (ctx) =>
      void (await gc(ctx, { retention: Math.max(1, retentionOf(ctx) + windowOffset), keepLive: true, failSafe: true, ...policy })),
  );
}

/** This platform's deploy (additive upload, labelled revision, then `collect`); rollback and cleanup only collect. */
export function platformDeployer(
  d: Pick<Deployer, 'name' | 'description' | 'reference'>,
  collect: (ctx: DeployContext) => Promise<void>,
): Deployer {
  return {
    ...d,
    platform: true,
    async deploy(ctx) {
      await uploadAdditive(ctx);
      await createRevision(ctx);
      await collect(ctx);
    },
    rollback: collect,
    cleanup: collect,
  };
}
