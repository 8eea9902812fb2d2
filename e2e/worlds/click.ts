import { expect, type SkewTest } from '../../harness/playwright/index.ts';

/**
 * The same click in the single-origin world (docs/worlds.md), for each deploy strategy's spec
 * beside this file: a tab opened on A follows a link without prefetch after B went live. It
 * keeps working on its own build (the deployer routes by deployment id in its nginx), recovers
 * by one full page load of B (the document's script), or runs into a 502 (a route to a server
 * the deployer stopped).
 */
export async function clickAfterDeploy(skew: SkewTest) {
  await skew.deploy('A');
  const page = await skew.open('tab', '/');
  await expect(page.getByTestId('version')).toHaveText('A');
  await skew.deploy('B');
  await skew.navigate('tab', 'link-about', 'page-about');
  return page;
}
