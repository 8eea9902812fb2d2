import { gcDeployer } from './lib.ts';

/**
 * GOOD reference, the skew-protection document: upload additively (never prune on upload),
 * create the labelled revision, then GC: keep the newest `assetRetention` build ids OR any build
 * id serving traffic; skip the whole GC if a live revision cannot be resolved; delete only
 * `<app>/_next/static/<buildId>/`.
 */
export const additiveGc = gcDeployer({
  name: 'additive-gc',
  description: 'the skew-protection document: additive upload, labelled revision, build-id GC (newest N OR live set, fail-safe)',
  reference: 'good',
});
export default additiveGc;
