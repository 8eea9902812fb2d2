import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { leftovers } from './support.ts';

/**
 * skew as a team gets it: `npm pack` of this checkout (its prepack builds dist/), installed into
 * a copy of a public Next.js example outside the repository, and used there as a package: the
 * library from plain Node, its types from tsc, `skew --version`, and a Playwright spec through
 * `next-skew/playwright` on the team's own app. Before, only the CLI worked there: importing the
 * library failed (Node strips no types under node_modules) and `skew` installed another package.
 */
const PKG = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { name: string; version: string };
const NODE_BIN = dirname(process.execPath);
const QUIET = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 5 * 60_000,
    env: { ...process.env, ...QUIET, PATH: `${NODE_BIN}:${process.env.PATH}`, ...env },
  });
}

test('the packed package installs in a project outside the repository: library, types, --version and a Playwright spec', async () => {
  test.setTimeout(12 * 60_000);
  // Outside the checkout, so nothing resolves from skew's own node_modules; opened to others,
  // as a project folder is, so the deployer sandbox runs as its own user.
  const root = mkdtempSync(join(tmpdir(), 'skew-package-'));
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'tmp'));
  try {
    const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', root], resolve('.'))) as {
      filename: string;
      size: number;
      entryCount: number;
      files: { path: string }[];
    }[];
    const tarball = join(root, packed[0]!.filename);
    // What runs, not what tests it.
    const paths = packed[0]!.files.map((f) => f.path);
    expect(paths).toContain('dist/harness/index.js');
    expect(paths).toContain('dist/harness/index.d.ts');
    expect(paths).toContain('deployers/releases-symlink.sh');
    expect(
      paths.filter((p) => /(^|\/)(e2e|bench|\.github|test)\/|\.test\.(ts|js)$|(^|\/)harness\/.*\.ts$/.test(p) && !p.endsWith('.d.ts')),
    ).toEqual([]);

    const app = join(root, 'team-app');
    cpSync(resolve('test/apps/with-dynamic-import'), app, { recursive: true, filter: (src) => !/\/(node_modules|\.next)(\/|$)/.test(src) });
    sh('npm', ['ci', '--prefer-offline'], app);
    sh('npm', ['install', '--save-dev', '--prefer-offline', tarball], app);

    // The library from plain Node: compiled JavaScript, no tsx.
    expect(
      sh(
        'node',
        ['--input-type=module', '-e', `import { getScenario } from '${PKG.name}'; console.log(getScenario('roll-forward').title);`],
        app,
      ),
    ).toContain('Roll forward A → B');
    // Its declarations type-check a team's file (and catch a wrong option: the negative control).
    writeFileSync(
      join(app, 'uses-skew.mts'),
      `import { getScenario, type Scenario } from '${PKG.name}';\nimport type { SkewOptions } from '${PKG.name}/playwright';\nconst s: Scenario = getScenario('roll-forward');\nconst o: Partial<SkewOptions> = { skewDeployer: 'releases-symlink' };\nconsole.log(s.name, o.skewDeployer);\n`,
    );
    const tsc = [
      'tsc',
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--skipLibCheck',
      'uses-skew.mts',
    ];
    sh('npx', tsc, app);
    writeFileSync(
      join(app, 'uses-skew.mts'),
      `import type { SkewOptions } from '${PKG.name}/playwright';\nconst o: Partial<SkewOptions> = { skewDeployer: 42 };\nconsole.log(o);\n`,
    );
    let refused = '';
    try {
      sh('npx', tsc, app);
    } catch (e) {
      refused = String((e as { stdout?: string }).stdout);
    }
    expect(refused).toMatch(/error TS2322: Type 'number' is not assignable to type 'string'/);
    rmSync(join(app, 'uses-skew.mts'));

    expect(sh('npx', ['skew', '--version'], app).trim()).toBe(PKG.version);

    // A spec of the team's, on its own app, through `npx playwright test`.
    mkdirSync(join(app, 'skew'));
    writeFileSync(
      join(app, 'playwright.config.ts'),
      `import { defineConfig } from '@playwright/test';\nimport type { SkewOptions } from '${PKG.name}/playwright';\nexport default defineConfig<SkewOptions>({\n  testDir: 'skew',\n  workers: 1,\n  timeout: 5 * 60_000,\n  use: { skewDeployer: 'releases-symlink', skewApp: '.', skewVersions: ['A', 'B'] },\n});\n`,
    );
    writeFileSync(
      join(app, 'skew', 'roll-forward.spec.ts'),
      `import { test } from '${PKG.name}/playwright';\n\ntest('a tab open on A keeps working after B is deployed', async ({ skew }) => {\n  await skew.deploy('A');\n  await skew.open('alice', '/');\n  await skew.deploy('B');\n  await skew.probeAssets('A');\n  skew.expectPass('no-chunk-load-error', 'old-assets-survive');\n});\n`,
    );
    const run = await new Promise<{ code: number | null; output: string }>((res) => {
      // A nested run must not think it is a worker of this one.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEST_') && !k.startsWith('PW_')));
      const child = spawn('npx', ['playwright', 'test'], {
        cwd: app,
        env: { ...env, ...QUIET, PATH: `${NODE_BIN}:${process.env.PATH}`, TMPDIR: join(root, 'tmp') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('exit', (code) => res({ code, output }));
    });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('1 passed');
    expect(leftovers(root)).toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
