import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of skew's own package.json: this checkout, or `node_modules/next-skew` in a team's
 * project. Found by walking up, so it is the same from the TypeScript sources (harness/io/) and
 * from the compiled code the package ships (dist/harness/io/, where dist/ has no package.json).
 * What ships beside the code (deployers/, fixtures/) is found from here.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`no package.json above ${fileURLToPath(from)}: skew's package is incomplete`);
}

export const PACKAGE_ROOT = packageRoot();
