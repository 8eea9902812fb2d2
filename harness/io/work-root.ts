import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where app builds (and the Next.js versions `--next` installs) run: outside every project, so
 * that Next's workspace-root inference finds only the lockfile skew puts there (not skew's own,
 * nor a parent monorepo's). `SKEW_WORK_DIR` moves it.
 */
export function appWorkRoot(env: Record<string, string | undefined> = process.env): string {
  return env.SKEW_WORK_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'skew', 'work');
}
