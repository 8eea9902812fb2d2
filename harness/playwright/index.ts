/** `skew/playwright`: fixtures for writing your own skew specs with Playwright Test (docs/playwright.md). */
export { test, expect, type SkewOptions } from './fixtures.ts';
export { SkewTest, SkewCheckError } from './skew-test.ts';
