import type { World } from '../../core/scenario.ts';
import type { StackOptions } from '../stack-options.ts';
import { pinned } from './pinned.ts';
import { platform } from './platform.ts';
import { rolling } from './rolling.ts';
import { singleOrigin } from './single-origin.ts';
import type { WorldModule } from './world.ts';

/** Every world skew runs, by name: a new world is its own module and one line here. */
export const WORLD_MODULES: Record<World, WorldModule> = {
  pinned,
  'single-origin': singleOrigin,
  rolling,
};

/** The module a stack runs: the platform side, or the named world. */
export function worldModuleOf(opts: StackOptions): WorldModule {
  if (opts.platform) return platform;
  return WORLD_MODULES[opts.world ?? 'pinned'];
}
