import { defineConfig, type SkewOptions } from 'next-skew/playwright';

/**
 * skew's Playwright specs for this project (written by `npx skew init`): `npx playwright test -c skew`.
 * Each worker builds the app and runs its own stack (nginx edge, servers, Chromium): keep workers low.
 */
export default defineConfig<SkewOptions>({
  testDir: '.',
  workers: 1,
  timeout: 5 * 60_000,
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../runs/playwright-report' }]],
  outputDir: '../runs/playwright-results',
  use: {
    // The project one folder up, built as A and B, and our deploy (the same as skew.config.ts).
    skewApp: '..',
    skewDeployer: './deploy.sh',
    skewVersions: ['A', 'B'],
    skewDeployerTimeoutMs: 300_000,
  },
});
