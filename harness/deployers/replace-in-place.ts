import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RELEASES } from '../stack/release-store.ts';
import type { DeployContext, Deployer } from './deployer.ts';
import { installRelease, switchCurrent } from './release-ops.ts';

/**
 * A realistic broken deploy: the one app directory is replaced wholesale by the new build
 * (`rsync --delete` style), so the previous build's `_next/static` files are gone the moment
 * the new one is live, and the whole CDN is purged, hashed assets included — the two mistakes
 * the rollback document warns about.
 */
export const replaceInPlace: Deployer = {
  name: 'replace-in-place',
  description: 'BROKEN: replaces the single static directory wholesale (old build files gone) and purges everything',
  reference: 'broken',
  deploy: replace,
  rollback: replace,
};

async function replace(ctx: DeployContext): Promise<void> {
  await rm(join(ctx.root, RELEASES), { recursive: true, force: true });
  await installRelease(ctx.root, ctx.build);
  await switchCurrent(ctx.root, ctx.build.deploymentId);
  await ctx.reload();
  await ctx.purge({ everything: true });
}
