import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The standalone server.js of a build or release directory, if it was built standalone. */
export async function standaloneServer(buildDir: string): Promise<string | undefined> {
  return findServer(join(buildDir, '.next', 'standalone'), 3);
}

async function findServer(dir: string, depth: number): Promise<string | undefined> {
  if (existsSync(join(dir, 'server.js'))) return join(dir, 'server.js');
  if (depth === 0) return undefined;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!e.isDirectory() || e.name === 'node_modules' || e.name === '.next') continue;
    const found = await findServer(join(dir, e.name), depth - 1);
    if (found) return found;
  }
  return undefined;
}
