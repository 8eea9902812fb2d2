import { describe, expect, it } from 'vitest';
import { deploymentIdSupport } from './deployment-id.ts';

const app = (nextVersion: string, useDeploymentId = false) => ({
  nextVersion,
  config: { basePath: '', assetPrefix: '', ...(useDeploymentId ? { useDeploymentId: true as const } : {}) },
});

describe('deploymentIdSupport', () => {
  // Read from each version's dist/server/config.js: 14.1.3 still checks experimental.useDeploymentId, 14.1.4 reads the env.
  it.each(['14.1.4', '14.2.35', '15.0.0', '16.4.6', '16.0.0-canary.3'])('Next %s reads NEXT_DEPLOYMENT_ID by itself', (v) => {
    expect(deploymentIdSupport(app(v))).toEqual({ carries: true });
  });

  it.each(['14.0.0', '14.0.4', '14.1.0', '14.1.3'])(
    'Next %s carries none without experimental.useDeploymentId, and says what to set',
    (v) => {
      const s = deploymentIdSupport(app(v));
      expect(s.carries).toBe(false);
      expect(s.why).toContain(`Next.js ${v} reads NEXT_DEPLOYMENT_ID only with experimental.useDeploymentId`);
      expect(s.fix).toContain('useDeploymentId: true');
      expect(deploymentIdSupport(app(v, true))).toEqual({ carries: true });
    },
  );
});
