import { defineConfig } from '@playwright/test';

/**
 * The nightly suite: each spec runs a catalogue scenario end to end (real builds, real nginx,
 * real Chromium launched by the harness itself) and asserts its verdict. One worker: the
 * machine has 2 cores and each run already starts several Next origins and a browser.
 */
export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  timeout: 5 * 60_000,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'test-results/e2e-junit.xml' }]] : 'list',
  outputDir: 'test-results/e2e',
});
