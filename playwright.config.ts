import { availableParallelism, freemem } from 'node:os';
import { defineConfig } from '@playwright/test';
import { defaultWorkers } from './harness/run/workers.ts';

/**
 * The e2e suite: each spec runs catalogue scenarios end to end (real builds, real nginx, real
 * Chromium launched by the harness itself) and asserts their verdicts. Workers as `skew run`
 * picks them (one per core, fewer when memory is short; SKEW_E2E_WORKERS overrides): each test
 * has its own stack on its own ports, and each worker one Chromium. Fully parallel, so that
 * `--shard` splits the big catalogue spec by test, not by file.
 */
export default defineConfig({
  testDir: 'e2e',
  workers: Number(process.env.SKEW_E2E_WORKERS) || defaultWorkers({ cores: availableParallelism(), freeMemBytes: freemem() }),
  fullyParallel: true,
  timeout: 5 * 60_000,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'test-results/e2e-junit.xml' }]] : 'list',
  outputDir: 'test-results/e2e',
  // Every run the tier writes is judged again by `skew judge` and its history checked against the schema.
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
});
