import type { Deployer } from '../../harness/deployers/deployer.ts';
import { additiveGc } from './additive-gc.ts';
import { createRevision, gc, retentionOf, uploadAdditive, uploadMirror } from './lib.ts';

/** Each a real mistake the skew-protection document's rules exist for; otherwise additive-gc. */
export const pruneOnUpload: Deployer = {
  ...additiveGc,
  name: 'prune-on-upload',
  description: 'BROKEN: the upload mirrors the new build into the bucket (deletes what it lacks): clients on older builds lose their chunks at once',
  reference: 'broken',
  async deploy(ctx) {
    await uploadMirror(ctx);
    await createRevision(ctx);
  },
};

const windowOnly = async (ctx: Parameters<Deployer['deploy']>[0]) => void (await gc(ctx, { retention: retentionOf(ctx), keepLive: false, failSafe: false }));

const proceedAnyway = async (ctx: Parameters<Deployer['deploy']>[0]) => void (await gc(ctx, { retention: retentionOf(ctx), keepLive: true, failSafe: false }));

export const gcIgnoresUnresolved: Deployer = {
  ...additiveGc,
  name: 'gc-ignores-unresolved',
  description: 'BROKEN: the GC goes on when a live revision cannot be resolved to a build id, so that revision\'s build is reaped while it serves',
  reference: 'broken',
  async deploy(ctx) {
    await uploadAdditive(ctx);
    await createRevision(ctx);
    await proceedAnyway(ctx);
  },
  rollback: proceedAnyway,
  cleanup: proceedAnyway,
};

export const windowOnlyGc: Deployer = {
  ...additiveGc,
  name: 'window-only-gc',
  description: 'BROKEN: the GC keeps only the newest N build ids and ignores the live set: a rollback canary to an older build loses its build-id folder',
  reference: 'broken',
  async deploy(ctx) {
    await uploadAdditive(ctx);
    await createRevision(ctx);
    await windowOnly(ctx);
  },
  rollback: windowOnly,
  cleanup: windowOnly,
};
