import type { DeployContext, Deployer } from './deployer.ts';
import { htmlUrls, installRelease, pruneReleases, switchCurrent } from './release-ops.ts';

/** How many releases stay on origin, as the rollback document advises ("last two to three"). */
export const KEEP_RELEASES = 3;

/**
 * The rollback document's pattern: a new release directory per build, an atomic flip of
 * `current`, the last 3 releases kept (the edge serves each kept release's static files), and a
 * purge of the HTML entry points only. Hashed `_next/static` files are never purged.
 */
export const releasesSymlink: Deployer = {
  name: 'releases-symlink',
  description: 'releases/<id> + atomic current symlink, keep the last 3 releases, purge HTML entry points only',
  reference: 'good',
  deploy: goLive,
  rollback: goLive, // a kept release is flipped back to; one that aged out is reinstalled from the artifact
};

async function goLive(ctx: DeployContext): Promise<void> {
  await installRelease(ctx.root, ctx.build);
  await switchCurrent(ctx.root, ctx.build.deploymentId);
  const pruned = await pruneReleases(ctx.root, KEEP_RELEASES);
  if (pruned.length) ctx.log(`pruned releases ${pruned.join(', ')}`);
  await ctx.reload(); // the Node process serves the new release before its HTML is purged
  await ctx.purge({ files: htmlUrls(ctx.siteUrl, ctx.htmlPaths) });
}
