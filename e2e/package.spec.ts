import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { leftovers } from './support.ts';

/**
 * skew as a team gets it: `npm pack` of this checkout (its prepack builds dist/), installed into
 * a copy of a public Next.js example outside the repository, and used there as a package: the
 * library from plain Node, its types from tsc, `skew --version`, then `skew init` and the two
 * commands it suggests, as printed: `skew run` with the config and deploy script it wrote, and
 * its Playwright spec through `next-skew/playwright` on the team's own app. Before, only the CLI worked there: importing the
 * library failed (Node strips no types under node_modules) and `skew` installed another package.
 */
const PKG = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { name: string; version: string };
const NODE_BIN = dirname(process.execPath);
const QUIET = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

/** A command as a team's terminal runs it, its output kept whole; a nested Playwright must not think it is a worker of this one. */
function spawnIn(
  cwd: string,
  cmd: string,
  args: string[],
  extra: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string; stdout: string }> {
  return new Promise((res) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEST_') && !k.startsWith('PW_')));
    const child = spawn(cmd, args, {
      cwd,
      env: { ...env, ...QUIET, PATH: `${NODE_BIN}:${process.env.PATH}`, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => res({ code, output, stdout }));
  });
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 5 * 60_000,
    env: { ...process.env, ...QUIET, PATH: `${NODE_BIN}:${process.env.PATH}`, ...env },
  });
}

test('the packed package installs in a project outside the repository: library, types, --version, skew init and what it suggests', async () => {
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

    // The team's first five minutes: `skew init`, then exactly the commands it suggests.
    const init = sh('npx', ['skew', 'init'], app);
    for (const f of [
      'skew.config.ts',
      'skew/deploy.sh',
      'skew/playwright.config.ts',
      'skew/roll-forward.spec.ts',
      '.github/workflows/skew.yml',
    ])
      expect(init).toContain(`wrote ${f}`);
    const suggested = init
      .slice(init.indexOf('\nNext:'))
      .split('\n')
      .map((l) => l.trim().split(/ {2,}/)[0]!)
      .filter((c) => c.startsWith('npx '));
    expect(suggested.slice(0, 2)).toEqual(['npx skew run roll-forward roll-back', 'npx playwright test -c skew']);
    // Run again, it keeps every file.
    expect(sh('npx', ['skew', 'init'], app)).not.toContain('wrote');

    for (const command of suggested.slice(0, 2)) {
      const [bin, ...args] = command.split(' ');
      const run = await spawnIn(app, bin!, args, { TMPDIR: join(root, 'tmp') });
      expect(run.code, `${command}\n${run.output}`).toBe(0);
      expect(run.output).toContain(command.includes('playwright') ? '1 passed' : '2 scenario(s): 2 passed');
    }

    // replace-in-place on the same app (its lazy page, the Turbopack link to fuse.js in the
    // published builds) runs nightly: e2e/corpus.spec.ts, with-dynamic-import.
    expect(existsSync(join(app, '.next')), 'the app directory is only read').toBe(false);
    expect(leftovers(root)).toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
