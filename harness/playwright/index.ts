/** `next-skew/playwright`: fixtures for writing your own skew specs with Playwright Test (docs/playwright.md). */
export { test, expect, type SkewOptions } from './fixtures.ts';
export { SkewTest, SkewCheckError } from './skew-test.ts';
// Playwright's own, through skew's copy of it: a project that does not list @playwright/test
// (pnpm installs no hoisted copy) still writes its config, and one copy of Playwright loads.
export { defineConfig, devices } from '@playwright/test';
