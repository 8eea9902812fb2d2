import { constants, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, open, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { INSTALL, inspectApp, type PackageManager } from '../../harness/app/project.ts';
import { CONFIG_FILES } from '../../harness/config/config-file.ts';
import { HarnessError } from '../../harness/errors/harness-error.ts';
import { PACKAGE_ROOT } from '../../harness/io/package-root.ts';
import { EXIT, type Io } from '../io.ts';

export interface InitFlags {
  json?: boolean;
}

/** The scenarios a pull request runs: every deploy must keep tabs working both ways. */
export const PR_SCENARIOS = ['roll-forward', 'roll-back'];

interface Planned {
  /** Relative to the project. */
  path: string;
  template: string;
  what: string;
  mode?: number;
}

const PLAN: Planned[] = [
  {
    path: 'skew.config.ts',
    template: 'skew.config.ts',
    what: 'what `skew run` reads here: this app, skew/deploy.sh, the pinned world',
  },
  {
    path: 'skew/deploy.sh',
    template: 'deploy.sh',
    what: "a deploy that follows skew's contract, every variable used and explained: replace its steps with yours",
    mode: 0o755,
  },
  { path: 'skew/playwright.config.ts', template: 'playwright.config.ts', what: 'Playwright for skew specs: the app and the deployer' },
  {
    path: 'skew/roll-forward.spec.ts',
    template: 'roll-forward.spec.ts',
    what: 'one spec: a tab on A navigates after B is deployed',
  },
  {
    path: '.github/workflows/skew.yml',
    template: 'skew.yml',
    what: `GitHub Actions: pull requests run ${PR_SCENARIOS.join(' and ')} and the spec; nightly, the whole catalogue on 4 shards`,
  },
];

/** How each package manager runs a bin of the project, and the steps its CI setup needs. */
const RUNNER: Record<PackageManager, { exec: string; setup: string; cache: string }> = {
  npm: { exec: 'npx', setup: '', cache: 'npm' },
  pnpm: { exec: 'pnpm exec', setup: '      - uses: pnpm/action-setup@v4\n', cache: 'pnpm' },
  yarn: { exec: 'yarn', setup: '', cache: 'yarn' },
  bun: { exec: 'bunx', setup: '      - uses: oven-sh/setup-bun@v2\n', cache: 'npm' },
};

/**
 * `skew init [dir]`: a team's first five minutes. Writes the config, a deploy script that follows
 * the contract, one Playwright spec and a CI workflow into a Next.js project; never overwrites a
 * file (each is created exclusively), and on an error removes what it wrote, so nothing is half-done.
 */
export async function initCommand(io: Io, dir: string | undefined, opts: InitFlags): Promise<number> {
  const root = resolve(io.cwd, dir ?? '.');
  // Refused before anything is written: init for an app skew cannot judge would only mislead.
  const app = await inspectApp(root);
  const runner = RUNNER[app.packageManager];
  const values: Record<string, string> = {
    'pm-setup': runner.setup,
    pm: runner.cache,
    install: INSTALL[app.packageManager],
    exec: runner.exec,
    'pr-scenarios': PR_SCENARIOS.join(' '),
  };
  const existingConfig = CONFIG_FILES.find((f) => existsSync(join(root, f)));
  const wrote: Planned[] = [];
  const kept: { path: string; why: string }[] = [];
  try {
    for (const p of PLAN) {
      if (p.path === 'skew.config.ts' && existingConfig) {
        kept.push({ path: existingConfig, why: 'exists: not overwritten (skew reads it)' });
        continue;
      }
      const text = fill(readFileSync(join(PACKAGE_ROOT, 'templates', 'init', p.template), 'utf8'), values);
      if (await createExclusive(join(root, p.path), text, p.mode)) wrote.push(p);
      else kept.push({ path: p.path, why: 'exists: not overwritten' });
    }
  } catch (e) {
    for (const p of wrote) await rm(join(root, p.path), { force: true });
    throw new HarnessError(
      'INIT_FAILED',
      `skew init could not write into ${root}: ${e instanceof Error ? e.message : String(e)}`,
      'make the folder writable (nothing was left behind: the files written so far were removed)',
      { cause: e },
    );
  }
  const ignored = existsSync(join(root, '.gitignore')) && /^\/?runs\/?$/m.test(readFileSync(join(root, '.gitignore'), 'utf8'));
  const next = [
    {
      command: `${runner.exec} skew run ${PR_SCENARIOS.join(' ')}`,
      what: 'judge skew/deploy.sh on this app (two builds, then each scenario)',
    },
    { command: `${runner.exec} playwright test -c skew`, what: 'the spec' },
    { command: `${runner.exec} skew list`, what: 'every scenario and check; `skew explain <scenario>` says what one does' },
  ];
  if (opts.json) {
    io.out(
      `${JSON.stringify({ app: { dir: root, next: app.nextVersion, packageManager: app.packageManager }, wrote: wrote.map((p) => p.path), kept, next }, null, 2)}\n`,
    );
    return EXIT.pass;
  }
  const width = Math.max(...PLAN.map((p) => p.path.length), ...kept.map((k) => k.path.length));
  const where = relative(io.cwd, root) || '.';
  const lines = [
    `skew init in ${where} (Next.js ${app.nextVersion}, ${app.packageManager}):`,
    ...wrote.map((p) => `  wrote ${p.path.padEnd(width)}  ${p.what}`),
    ...kept.map((k) => `  kept  ${k.path.padEnd(width)}  ${k.why}`),
    '',
    'skew.config.* and skew/ are skew’s, not the app’s: they stay out of the builds skew makes.',
    ...(ignored ? [] : ['skew writes its reports to runs/: add `runs/` to .gitignore.']),
    '',
    `Next${where === '.' ? '' : ` (in ${where})`}:`,
    ...next.map((n) => `  ${n.command.padEnd(Math.max(...next.map((x) => x.command.length)))}  ${n.what}`),
  ];
  io.out(`${lines.join('\n')}\n`);
  return EXIT.pass;
}

/**
 * `{{name}}` → its value, and a line that is only `# {{name}}` → the value as whole lines (or
 * none): the templates stay valid YAML and TypeScript. A placeholder without a value is a bug in
 * skew, not in the project.
 */
function fill(template: string, values: Record<string, string>): string {
  const value = (name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`init template placeholder {{${name}}} has no value`);
    return v;
  };
  return template
    .replace(/^ *# \{\{([a-z-]+)\}\}\n/gm, (_, name: string) => value(name))
    .replace(/\{\{([a-z-]+)\}\}/g, (_, name: string) => value(name));
}

/** Creates the file only if nothing is at its path (O_EXCL: no check-then-write race); false if something is. */
async function createExclusive(path: string, text: string, mode = 0o644): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  // The umask may have taken the executable bits of deploy.sh.
  await chmod(path, mode);
  return true;
}
