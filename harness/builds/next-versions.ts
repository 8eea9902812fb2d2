import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { appWorkRoot } from '../io/work-root.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { lock } from '../io/files.ts';

/** A Next.js the fixture is built and started with: skew's own, or one installed for `--next`. */
export interface NextInstall {
  version: string;
  major: number;
  /** The directory whose node_modules holds it (builds run below it, so everything resolves there). */
  root: string;
  nextBin: string;
  /** True for skew's own Next (node_modules of the repository). */
  own: boolean;
}

const require = createRequire(import.meta.url);
/** The TypeScript `--next` installs beside Next (Next 15 checks for it; it predates TypeScript 7). */
const TYPESCRIPT = '5.9.3';
/** Majors the fixture builds on with `--next`. 14 needs React 18, which the fixture's Server Action pages do not run on. */
export const FIXTURE_NEXT_MAJORS = [15, 16];

export function ownNext(): NextInstall {
  const pkg = require.resolve('next/package.json');
  const version = (require(pkg) as { version: string }).version;
  return {
    version,
    major: Number(version.split('.')[0]),
    root: dirname(dirname(dirname(pkg))),
    nextBin: join(dirname(pkg), 'dist', 'bin', 'next'),
    own: true,
  };
}

/** Refuses a `--next` value (and `--next` with `--app`) before anything is installed or built. */
export function checkNextVersion(version: string, app?: unknown): void {
  if (app)
    throw new HarnessError(
      'INVALID_OPTION',
      '--next is for the fixture app',
      'leave it out with --app: your app is built with the Next.js it has installed (change that in its package.json)',
    );
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version))
    throw new HarnessError(
      'INVALID_OPTION',
      `--next = "${version}" is not an exact version`,
      'give an exact Next.js version from the npm registry, e.g. --next 15.5.29',
    );
  const major = Number(version.split('.')[0]);
  if (!FIXTURE_NEXT_MAJORS.includes(major))
    throw new HarnessError(
      'INVALID_OPTION',
      `--next ${version}: the fixture builds on Next ${FIXTURE_NEXT_MAJORS.join(' and ')}`,
      major === 14
        ? "Next 14 runs React 18, and the fixture's Server Action pages need React 19: run a Next 14 app with --app (test/apps/with-context-api-next14 is one)"
        : `choose a ${FIXTURE_NEXT_MAJORS.join('.x or ')}.x version`,
    );
}

/**
 * Next.js `version` with the React it ships with, installed once from the npm registry under
 * skew's work root (`next-<version>/node_modules`); later calls reuse it.
 */
export async function installNext(version: string, log: (line: string) => void = () => {}): Promise<NextInstall> {
  checkNextVersion(version);
  const own = ownNext();
  if (own.version === version) return own;
  const root = join(appWorkRoot(), `next-${version}`);
  const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const done = join(root, 'installed.json');
  const result = { version, major: Number(version.split('.')[0]), root, nextBin, own: false };
  if (existsSync(done)) return result;
  await mkdir(root, { recursive: true });
  const release = await lock(join(root, 'lock'));
  try {
    if (existsSync(done)) return result;
    // The React the fixture is written for (19), at the version skew itself uses.
    const versionOf = async (pkg: string) =>
      (JSON.parse(await readFile(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
    const react = await versionOf('react');
    // TypeScript and the React and Node types too: without them next build installs them into
    // the fixture's copy. TypeScript 5 (skew's own 7 is newer than Next 15 knows).
    const devDependencies = {
      typescript: TYPESCRIPT,
      '@types/react': await versionOf('@types/react'),
      '@types/node': await versionOf('@types/node'),
    };
    await writeFile(
      join(root, 'package.json'),
      JSON.stringify(
        { name: `skew-next-${version}`, private: true, dependencies: { next: version, react, 'react-dom': react }, devDependencies },
        null,
        2,
      ),
    );
    log(`installing next@${version} with react@${react} from the npm registry…`);
    const failure = await new Promise<string | undefined>((res) =>
      execFile(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
        { cwd: root, timeout: 10 * 60_000, maxBuffer: 16 << 20 },
        (err, _out, errText) => res(err ? errText.trim() || err.message : undefined),
      ),
    );
    if (failure)
      throw new HarnessError(
        'BUILD_FAILED',
        `npm could not install next@${version} in ${root}`,
        'check the version exists (npm view next versions) and that the npm registry is reachable',
        {
          details: failure.split('\n').slice(-15),
        },
      );
    await writeFile(done, JSON.stringify({ version, react }, null, 2));
    return result;
  } finally {
    await release();
  }
}
