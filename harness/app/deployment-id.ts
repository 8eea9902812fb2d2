import type { AppProject } from './project.ts';

/** Whether an app's builds can carry skew's NEXT_DEPLOYMENT_ID, and if not, why and what to change. */
export interface DeploymentIdSupport {
  carries: boolean;
  /** Why not, in the app's terms (only when it does not). */
  why?: string;
  /** The setting that gives its builds one. */
  fix?: string;
}

/** Next read NEXT_DEPLOYMENT_ID by itself from 14.1.4 on; before, only with experimental.useDeploymentId. */
const READS_ENV_FROM = [14, 1, 4];

/**
 * Decided before anything is built, from the app's Next and its next.config: a build that will
 * carry no deployment id is judged as what it is (a build without one, as `--deployment-id off`),
 * never as one whose health checks wait for an id that never comes and whose version is unknown.
 */
export function deploymentIdSupport(app: Pick<AppProject, 'nextVersion' | 'config'>): DeploymentIdSupport {
  const [major = 0, minor = 0, patch = 0] = app.nextVersion.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const [m, n, p] = READS_ENV_FROM as [number, number, number];
  const readsEnv = (major - m || minor - n || patch - p) >= 0;
  if (readsEnv || app.config?.useDeploymentId) return { carries: true };
  return {
    carries: false,
    why: `Next.js ${app.nextVersion} reads NEXT_DEPLOYMENT_ID only with experimental.useDeploymentId, which the app's next.config does not set: its pages carry no deployment id, so nothing routes an old tab's requests to its own build`,
    fix: 'set `experimental: { useDeploymentId: true }` in next.config (and NEXT_DEPLOYMENT_ID at build and start), or upgrade to Next.js 14.1.4 or later, which reads it by itself',
  };
}

/** The mode an app's builds are made in: the one asked for, unless its builds cannot carry an id. */
export function deploymentIdModeFor<M extends string>(app: Pick<AppProject, 'nextVersion' | 'config'> | undefined, asked: M): M | 'off' {
  return app && !deploymentIdSupport(app).carries ? 'off' : asked;
}
