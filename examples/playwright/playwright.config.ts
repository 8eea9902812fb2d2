import { defineConfig } from '@playwright/test';
import type { SkewOptions } from 'next-skew/playwright';

/**
 * A team's skew suite: the deployer under test and the app are options. Builds and the stack
 * are per worker; each worker runs its own nginx, origins and Chromium, so keep workers low.
 */
export default defineConfig<SkewOptions>({
  testDir: '.',
  workers: 1,
  timeout: 2 * 60_000,
  reporter: [['list'], ['html', { open: 'never', outputFolder: process.env.SKEW_EXAMPLE_REPORT ?? 'playwright-report' }]],
  outputDir: process.env.SKEW_EXAMPLE_OUTPUT ?? 'test-results',
  use: {
    // Your deploy script (see docs/deployer-contract.md), or one of skew's by name.
    skewDeployer: process.env.SKEW_DEPLOYER || 'releases-symlink',
    // Your Next.js project; unset runs skew's own fixture app.
    skewApp: process.env.SKEW_APP || undefined,
    skewVersions: ['A', 'B'],
  },
});
