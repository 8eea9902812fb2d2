import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../errors/harness-error.ts';

/** What skew must know of an app's next.config before it builds anything. */
export interface AppConfig {
  output?: string;
  basePath: string;
  assetPrefix: string;
  /** `experimental.useDeploymentId` (or `useDeploymentIdServerActions`): before 14.1.4, what makes Next read NEXT_DEPLOYMENT_ID. */
  useDeploymentId?: true;
  /** A `generateBuildId` of the app's: without one, Next 16 gives every build the same BUILD_ID. */
  generateBuildId?: true;
}

const MARK = '\u0000skew-config:';

/**
 * Loads next.config the way `next build` does (the app's own Next, its `loadConfig`, the build
 * phase), in a child process so a config's side effects stay out of skew. Returns undefined when
 * the installed Next has no loader where 14–16 keep it.
 */
export async function loadAppConfig(dir: string, nextDir: string): Promise<AppConfig | undefined> {
  const loader = join(nextDir, 'dist', 'server', 'config.js');
  if (!existsSync(loader)) return undefined;
  const script = `
const loadConfig = require(${JSON.stringify(loader)}).default;
const { PHASE_PRODUCTION_BUILD } = require(${JSON.stringify(join(nextDir, 'constants.js'))});
loadConfig(PHASE_PRODUCTION_BUILD, ${JSON.stringify(dir)}, { silent: true }).then(
  async (c) => {
    const x = c.experimental || {};
    // Called as next build calls it: null (the default's answer) leaves the build id to Next.
    const id = typeof c.generateBuildId === 'function' ? await c.generateBuildId() : null;
    process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify({ output: c.output, basePath: c.basePath || '', assetPrefix: c.assetPrefix || '', useDeploymentId: !!(x.useDeploymentId || x.useDeploymentIdServerActions), generateBuildId: id != null }) + '\\n');
    process.exit(0);
  },
  (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>((res) => {
    execFile(
      process.execPath,
      ['-e', script],
      { cwd: dir, timeout: 60_000, maxBuffer: 8 << 20, env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' } },
      (err, out, errText) => res({ stdout: out, stderr: errText, code: err ? 1 : 0 }),
    );
  });
  const line = stdout.split('\n').find((l) => l.startsWith(MARK));
  if (code !== 0 || !line)
    throw new HarnessError(
      'INVALID_APP',
      `the app's next.config could not be loaded by its own Next.js`,
      `run \`next build\` in ${dir}: it fails the same way`,
      {
        details: stderr.trim().split('\n').slice(-15),
      },
    );
  const c = JSON.parse(line.slice(MARK.length)) as Omit<AppConfig, 'useDeploymentId' | 'generateBuildId'> & {
    useDeploymentId: boolean;
    generateBuildId: boolean;
  };
  return {
    ...(c.output ? { output: c.output } : {}),
    basePath: c.basePath,
    assetPrefix: c.assetPrefix.replace(/\/$/, ''),
    ...(c.useDeploymentId ? { useDeploymentId: true as const } : {}),
    ...(c.generateBuildId ? { generateBuildId: true as const } : {}),
  };
}

/** Configs skew cannot test, refused with the reason and the way out (before and after a build). */
export function refuseUnsupportedConfig(c: { output?: string; assetPrefix: string }): void {
  if (c.output === 'export')
    throw new HarnessError(
      'UNSUPPORTED_APP',
      "the app uses `output: 'export'`: a static export has no Next server to skew against",
      'serve the export as plain files behind your CDN and check it with `skew probe <url>`, or test a server build',
    );
  if (/^([a-z]+:)?\/\//i.test(c.assetPrefix))
    throw new HarnessError(
      'UNSUPPORTED_APP',
      `assetPrefix is ${c.assetPrefix}: browsers would fetch the app's chunks from that host, not from skew's edge on 127.0.0.1`,
      'take assetPrefix from an environment variable in next.config and leave it unset for skew (its edge plays the CDN)',
    );
}
