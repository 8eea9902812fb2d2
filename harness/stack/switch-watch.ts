import { type FSWatcher, lstatSync, watch } from 'node:fs';
import { HarnessError } from '../errors/harness-error.ts';
import { join } from 'node:path';
import { CURRENT } from './release-store.ts';

/** One moment a deployer action left the deploy root without a valid `current`. */
export interface SwitchGap {
  /** `missing`: `current` was seen absent; `delete-then-create`: it was unlinked, then made again (no rename over it). */
  how: 'missing' | 'delete-then-create';
  /** How long, as far as the watch saw it (0 when only the order of events showed it). */
  ms: number;
}

export interface SwitchWatch {
  /** Replacements of `current` seen, and the gaps among them. */
  stop(): Promise<{ switches: number; gaps: SwitchGap[] }>;
}

/**
 * Watches `<root>/current` while one deployer action runs (inotify, through fs.watch on the deploy
 * root). An atomic switch is a rename over `current` (`mv -Tf`, or `ln -sfn`, which renames a
 * temporary link into place in coreutils 9): one event on `current`, after events on another
 * name. `rm current; …; ln -s` gives two events on `current` in a row, and `current` may be seen
 * missing between them. A VPS's nginx serving `/_next/static` and `public/` through `current`
 * answers 404 in that moment, and a CDN may keep the 404.
 */
export function watchCurrent(root: string): SwitchWatch {
  const link = join(root, CURRENT);
  const exists = () => {
    try {
      lstatSync(link);
      return true;
    } catch {
      return false;
    }
  };
  const existed = exists();
  const gaps: SwitchGap[] = [];
  let switches = 0;
  let missingSince: number | undefined;
  let previous: { name: string; at: number } | undefined;
  const watcher = watchOrExplain(root, (type, name) => {
    if (type !== 'rename' || !name) return;
    const at = performance.now();
    if (name === CURRENT) {
      const now = exists();
      if (!now && missingSince === undefined && (existed || switches > 0)) missingSince = at;
      if (now) {
        switches++;
        if (missingSince !== undefined) {
          gaps.push({ how: 'missing', ms: Math.round(at - missingSince) });
          missingSince = undefined;
        } else if (previous?.name === CURRENT) gaps.push({ how: 'delete-then-create', ms: Math.round(at - previous.at) });
      }
    }
    previous = { name, at };
  });
  watcher.on('error', () => watcher.close());
  return {
    async stop() {
      // Events the kernel already queued reach the callback in the loop's next poll phase.
      await new Promise((r) => setImmediate(r));
      watcher.close();
      // Left without `current` at the end: a gap until the next action repairs it.
      if (!exists() && (existed || switches > 0))
        gaps.push({ how: 'missing', ms: Math.round(performance.now() - (missingSince ?? performance.now())) });
      return { switches, gaps };
    },
  };
}

/** fs.watch, or a coded error a user can act on (inotify's limits are per user, and CI machines hit them). */
function watchOrExplain(root: string, listener: (type: string, name: string | null) => void): FSWatcher {
  try {
    return watch(root, { persistent: false }, listener);
  } catch (e) {
    throw new HarnessError(
      'RUNS_FOLDER_UNUSABLE',
      `cannot watch the deploy root ${root} for switches of current: ${e instanceof Error ? e.message : String(e)}`,
      'on Linux, raise the inotify limits (sysctl fs.inotify.max_user_watches and fs.inotify.max_user_instances); skew watches one folder during each deployer action',
    );
  }
}
