import { defineConfig } from 'vitest/config';

// Two layers with their own npm scripts: fast pure unit tests, and integration tests that start
// real nginx (process and container). e2e (real builds + Chromium) runs under Playwright.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'cli/**/*.test.ts', 'scenarios/**/*.test.ts', 'deployers/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'test/apps/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', 'builds/**', 'runs/**', 'test/apps/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Two files at once on 2 cores: each picks its own free ports, run folder and containers.
          maxWorkers: 2,
        },
      },
    ],
  },
});
