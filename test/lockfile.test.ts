import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockPackage {
  optionalDependencies?: Record<string, string>;
}

/**
 * `npm ci` on a fresh clone installs from package-lock.json or refuses: every optional package of
 * every platform (@next/swc-darwin-arm64, @img/sharp-win32-x64, …) must be in it, though this
 * machine installs only its own. A lockfile written where the registry served one platform
 * lacked them, and setup fell back to `npm install`: CI never installed what the lockfile says.
 */
describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };

  /** Where npm resolves `dep` from `path`: its own node_modules, then each parent's, then the root's. */
  const resolves = (path: string, dep: string): boolean => {
    let base = path;
    for (let i = 0; i < 50; i++) {
      if (`${base ? `${base}/` : ''}node_modules/${dep}` in lock.packages) return true;
      if (!base) return false;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut >= 0 ? base.slice(0, cut) : '';
    }
    return false;
  };

  it("lists every platform's optional packages, so that npm ci accepts it anywhere", () => {
    const missing = Object.entries(lock.packages).flatMap(([path, p]) =>
      Object.keys(p.optionalDependencies ?? {})
        .filter((dep) => !resolves(path, dep))
        .map((dep) => `${path || '(root)'} → ${dep}`),
    );
    expect(missing).toEqual([]);
  });

  it("has Next's compiler for each platform Next ships one for", () => {
    const next = lock.packages['node_modules/next']!;
    const swc = Object.keys(next.optionalDependencies ?? {}).filter((d) => d.startsWith('@next/swc-'));
    expect(swc.length).toBeGreaterThanOrEqual(8);
    for (const d of swc) expect(lock.packages, d).toHaveProperty([`node_modules/${d}`]);
  });
});
