import { HarnessError } from '../errors/harness-error.ts';
import type { Deployer } from './deployer.ts';
import { releasesSymlink } from './releases-symlink.ts';
import { replaceInPlace } from './replace-in-place.ts';

/** Our reference deployers by name. Adding one is a new file and a line here. */
export const DEPLOYERS: Record<string, Deployer> = {
  [releasesSymlink.name]: releasesSymlink,
  [replaceInPlace.name]: replaceInPlace,
};

export function getDeployer(name: string): Deployer {
  const d = DEPLOYERS[name];
  if (!d) throw new HarnessError('UNKNOWN_DEPLOYER', `unknown deployer "${name}"`, `choose one of: ${Object.keys(DEPLOYERS).join(', ')}`);
  return d;
}
