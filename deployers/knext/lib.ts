/**
 * The skew-protection document's deploy steps, as a TypeScript module deployer would write them
 * against its platform: upload a build's `.next/static` to the object store (a directory here,
 * one file per object, the file's mtime its upload time), create a revision labelled with the
 * build id, and the build-id-aware GC. Everything comes from the deployer contract.
 */
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DeployContext } from '../../harness/deployers/deployer.ts';

export const BUILD_ID_LABEL = 'knext.dev/build-id';
const SHARED = new Set(['chunks', 'css', 'media']);

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
    if (await stat(dest).then(() => true, () => false)) continue;
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
  const r = await fetch(`${base}${path}`, { ...init, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!r.ok) throw new Error(`platform API ${init?.method ?? 'GET'} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** The operator's part of a deploy: a revision running this build, labelled with its build id. */
export async function createRevision(ctx: DeployContext, labels: Record<string, string> = { [BUILD_ID_LABEL]: ctx.build.buildId }): Promise<string> {
  const r = await api<{ metadata: { name: string } }>(ctx, '/revisions', { method: 'POST', body: JSON.stringify({ metadata: { labels }, spec: { deploymentId: ctx.build.deploymentId } }) });
  ctx.log(`created revision ${r.metadata.name}`);
  return r.metadata.name;
}

/**
 * The live set, read-only from `status.currentTraffic`: each live revision resolved to a build id
 * through the operator's label. `unresolved` lists revisions whose label is missing or whose
 * read failed.
 */
export async function liveBuildIds(ctx: DeployContext): Promise<{ live: string[]; unresolved: string[] }> {
  const live: string[] = [];
  const unresolved: string[] = [];
  const app = await api<{ status?: { currentTraffic?: { revisionName: string; percent: number }[] } }>(ctx, '/status');
  for (const t of app.status?.currentTraffic ?? []) {
    const label = await api<{ metadata: { labels?: Record<string, string> } }>(ctx, `/revisions/${encodeURIComponent(t.revisionName)}`).then((r) => r.metadata.labels?.[BUILD_ID_LABEL], () => undefined);
    if (label) live.push(label);
    else unresolved.push(t.revisionName);
  }
  return { live, unresolved };
}

/** Build-id folders in the bucket, newest upload first: the folders holding a `_buildManifest.js`. */
export async function buildIdFolders(ctx: DeployContext): Promise<{ buildId: string; uploaded: number }[]> {
  const { staticDir } = layout(ctx);
  const out: { buildId: string; uploaded: number }[] = [];
  for (const e of await readdir(staticDir, { withFileTypes: true }).catch(() => [])) {
    if (!e.isDirectory() || SHARED.has(e.name)) continue;
    const manifest = await stat(join(staticDir, e.name, '_buildManifest.js')).catch(() => undefined);
    if (manifest) out.push({ buildId: e.name, uploaded: manifest.mtimeMs });
  }
  return out.sort((a, b) => b.uploaded - a.uploaded || b.buildId.localeCompare(a.buildId));
}

export interface GcPolicy {
  /** Keep the newest N build ids (storage.assetRetention, default 3). */
  retention: number;
  /** OR keep every build id in the live set (the document). `false` is the window-only mistake. */
  keepLive: boolean;
  /** Skip the whole GC when a live revision cannot be resolved (the document's fail-safe). */
  failSafe: boolean;
}

/** The build-id-aware GC: deletes only `<app>/_next/static/<buildId>/` of what no rule keeps. */
export async function gc(ctx: DeployContext, policy: GcPolicy): Promise<string[]> {
  const { staticDir } = layout(ctx);
  const folders = await buildIdFolders(ctx);
  const { live, unresolved } = policy.keepLive ? await liveBuildIds(ctx) : { live: [], unresolved: [] };
  if (unresolved.length && policy.failSafe) {
    ctx.log(`GC skipped: live revision(s) ${unresolved.join(', ')} cannot be resolved to a build id`);
    return [];
  }
  const keep = new Set([...folders.slice(0, policy.retention).map((f) => f.buildId), ...live]);
  const doomed = folders.filter((f) => !keep.has(f.buildId)).map((f) => f.buildId);
  for (const id of doomed) await rm(join(staticDir, id), { recursive: true, force: true });
  ctx.log(`GC kept ${[...keep].join(', ') || 'nothing'}${live.length ? ` (live: ${live.join(', ')})` : ''}; deleted ${doomed.join(', ') || 'nothing'}`);
  return doomed;
}

export function retentionOf(ctx: DeployContext): number {
  const n = Number(ctx.options?.assetRetention ?? 3);
  if (!Number.isInteger(n) || n < 1) throw new Error(`assetRetention must be a whole number ≥ 1 (got ${ctx.options?.assetRetention})`);
  return n;
}
