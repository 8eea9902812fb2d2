import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeployContext, Deployer } from '../../harness/deployers/deployer.ts';
import { additiveGc } from './additive-gc.ts';
import { createRevision, gcDeployer, liveBuildIds, platformDeployer, retentionOf, uploadMirror } from './lib.ts';

/** Each a real mistake the skew-protection document's rules exist for; otherwise additive-gc. */
export const pruneOnUpload: Deployer = {
  ...additiveGc,
  name: 'prune-on-upload',
  description:
    'BROKEN: the upload mirrors the new build into the bucket (deletes what it lacks): clients on older builds lose their chunks at once',
  reference: 'broken',
  async deploy(ctx) {
    await uploadMirror(ctx);
    await createRevision(ctx);
  },
};

export const windowOnlyGc = gcDeployer(
  {
    name: 'window-only-gc',
    description:
      'BROKEN: the GC keeps only the newest N build ids and ignores the live set: a rollback canary to an older build loses its build-id folder',
    reference: 'broken',
  },
  { keepLive: false, failSafe: false },
);

export const gcIgnoresUnresolved = gcDeployer(
  {
    name: 'gc-ignores-unresolved',
    description:
      "BROKEN: the GC goes on when a live revision cannot be resolved to a build id, so that revision's build is reaped while it serves",
    reference: 'broken',
  },
  { failSafe: false },
);

export const gcSharedAsBuildId = gcDeployer(
  {
    name: 'gc-shared-as-build-id',
    description:
      'BROKEN: the GC lists every top-level prefix as a build id, so chunks/ and css/ age out and are deleted with everything in them',
    reference: 'broken',
  },
  { sharedAsBuildId: true },
);

export const gcPrefixMatch = gcDeployer(
  {
    name: 'gc-prefix-match',
    description: 'BROKEN: the GC deletes keys that start with a doomed build id (no trailing slash): reaping v1 also takes v10/',
    reference: 'broken',
  },
  { prefixMatch: true },
);

export const gcTeardownOnFailedRead = gcDeployer(
  {
    name: 'gc-teardown-on-failed-read',
    description: 'BROKEN: a failed traffic read is taken as "the app has no traffic": the GC deletes the bare <app>/ prefix',
    reference: 'broken',
  },
  { teardownWhenNoTraffic: true },
);

export const gcSweepsByAge = gcDeployer(
  {
    name: 'gc-sweeps-by-age',
    description:
      'BROKEN: after the build-id GC it sweeps shared chunks uploaded before the oldest kept build, though kept builds still reference them',
    reference: 'broken',
  },
  { sweepByAge: true },
);

export const gcWindowOffByOne = gcDeployer(
  {
    name: 'gc-window-off-by-one',
    description:
      'BROKEN: the GC keeps one build id fewer than assetRetention (`slice(0, n - 1)`): the oldest build inside the window loses its build-id folder, hidden while the edge still caches its manifest',
    reference: 'broken',
  },
  { windowOffset: -1 },
);

export const gcSortsById = gcDeployer(
  {
    name: 'gc-sorts-by-id',
    description:
      'BROKEN: the GC takes the "newest" build ids by sorting them as strings (they sorted like deploys until they did not): after an out-of-order deploy it keeps the wrong ones',
    reference: 'broken',
  },
  { sortById: true },
);

export const gcKnowsOnlyChunks = gcDeployer(
  {
    name: 'gc-knows-only-chunks',
    description:
      'BROKEN: the GC takes every top-level folder but chunks/ for a build id: the shared css/ (webpack) and media/ (fonts and images, both bundlers) age out of the window like a build and are deleted',
    reference: 'broken',
  },
  { reservedOnly: ['chunks'] },
);

/**
 * BROKEN: the GC ranks build ids across the whole bucket (`aws s3 ls s3://bucket/ --recursive |
 * grep _buildManifest.js`, newest first) and deletes the folders past the window, whichever app
 * they belong to: another app's older builds go first.
 */
export const gcBucketWide = platformDeployer(
  {
    name: 'gc-bucket-wide',
    description:
      "BROKEN: the GC lists build ids across the whole shared bucket, not under <app>/_next/static/: another app's older builds fall outside the window and are deleted",
    reference: 'broken',
  },
  gcWholeBucket,
);

async function gcWholeBucket(ctx: DeployContext): Promise<void> {
  const bucket = ctx.bucket!.dir;
  const folders: { dir: string; uploaded: number }[] = [];
  for (const app of await readdir(bucket).catch(() => [])) {
    const staticDir = join(bucket, app, '_next', 'static');
    for (const id of await readdir(staticDir).catch(() => [])) {
      const manifest = await stat(join(staticDir, id, '_buildManifest.js')).catch(() => undefined);
      if (manifest) folders.push({ dir: join(staticDir, id), uploaded: manifest.mtimeMs });
    }
  }
  const { live } = await liveBuildIds(ctx);
  const doomed = folders
    .sort((a, b) => b.uploaded - a.uploaded)
    .slice(retentionOf(ctx))
    .filter((f) => !live.some((id) => f.dir.endsWith(`/${id}`)));
  for (const f of doomed) await rm(f.dir, { recursive: true, force: true });
  ctx.log(`GC over the bucket deleted ${doomed.map((f) => f.dir.slice(bucket.length + 1)).join(', ') || 'nothing'}`);
}
