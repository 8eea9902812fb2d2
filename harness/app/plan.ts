import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BundlerChoice, bundlerFor } from './app-build.ts';
import { deploymentIdSupport } from './deployment-id.ts';
import type { AppProject } from './project.ts';

/**
 * What skew knows of an app before it builds anything (`skew run --app . --plan`): its Next and
 * bundler, routers, proxy, basePath and output, whether its builds will carry a deployment id
 * and have build ids of their own. A team reads it to know what a verdict will mean.
 */
export async function appFacts(app: AppProject, bundler: BundlerChoice): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(app.dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const chosen = bundlerFor(app, bundler, pkg.scripts?.build);
  const under = (p: string) => existsSync(join(app.dir, p)) || existsSync(join(app.dir, 'src', p));
  const routers =
    [under('app') && 'App Router', under('pages') && 'Pages Router'].filter(Boolean).join(' and ') || 'no app/ or pages/ folder found';
  const proxy = ['proxy', 'middleware'].flatMap((n) => ['ts', 'js', 'mjs'].map((e) => `${n}.${e}`)).find(under);
  const ids = deploymentIdSupport(app);
  const c = app.config;
  return [
    `app ${app.name} at ${app.dir}: Next.js ${app.nextVersion}, ${app.packageManager}${app.lockfile ? ` (${app.lockfile})` : ''}`,
    `  built with ${chosen.bundler}${bundler === 'auto' ? " (auto: its build script's choice, else its Next's default)" : ''}; ${routers}${proxy ? `; ${proxy}` : ''}`,
    ...(app.workspace
      ? [
          `  workspace: ${app.workspace.app} of the ${app.workspace.manager} workspace at ${app.workspace.root}: built in a copy of it (root files, node_modules, the packages the app links), those packages' modules varied between versions like the app's`,
        ]
      : []),
    `  next.config: basePath ${c?.basePath ? `'${c.basePath}'` : 'none'}, assetPrefix ${c?.assetPrefix ? `'${c.assetPrefix}'` : 'none'}, output ${c?.output ?? 'server (default)'}`,
    ids.carries
      ? '  deployment id: each build carries its own (NEXT_DEPLOYMENT_ID): old tabs can be routed to their build'
      : `  deployment id: none: ${ids.why}; judged as builds without one. To give them one: ${ids.fix}`,
    c?.generateBuildId
      ? '  build id: its generateBuildId gives each build its own'
      : app.nextMajor >= 16
        ? '  build id: Next 16 gives every build the same one without generateBuildId (fine with a deployment id; without one, releases named by build id collide)'
        : "  build id: Next's own, random per build",
  ];
}
