import type { Deployer } from '../../harness/deployers/deployer.ts';
import { createRevision, gc, retentionOf, uploadAdditive } from './lib.ts';

/**
 * GOOD reference, the skew-protection document: upload additively (never prune on upload),
 * create the labelled revision, then GC: keep the newest `assetRetention` build ids OR any build
 * id serving traffic; skip the whole GC if a live revision cannot be resolved; delete only
 * `<app>/_next/static/<buildId>/`. A rollback is a traffic change (the `split` step), so
 * `rollback` only runs the GC; `cleanup` runs it too.
 */
export const additiveGc: Deployer = {
  name: 'additive-gc',
  description: 'the skew-protection document: additive upload, labelled revision, build-id GC (newest N OR live set, fail-safe)',
  reference: 'good',
  async deploy(ctx) {
    await uploadAdditive(ctx);
    await createRevision(ctx);
    await gc(ctx, { retention: retentionOf(ctx), keepLive: true, failSafe: true });
  },
  async rollback(ctx) {
    await gc(ctx, { retention: retentionOf(ctx), keepLive: true, failSafe: true });
  },
  async cleanup(ctx) {
    await gc(ctx, { retention: retentionOf(ctx), keepLive: true, failSafe: true });
  },
};
