import { expect, test } from '../../harness/playwright/index.ts';
import { clickAfterDeploy } from './click.ts';

test.use({ skewWorld: 'single-origin', skewDeployer: 'releases-symlink' });

test("single-origin, the document's script: the tab recovers by one full page load of B", async ({ skew }) => {
  const page = await clickAfterDeploy(skew);
  await expect(page.getByTestId('version')).toHaveText('B');
  const [reload, recovers, errors] = skew.judge('no-hard-reload', 'recovers-by-navigation', 'no-server-errors');
  expect(reload!.verdict).toBe('fail');
  expect(recovers!.verdict).toBe('pass');
  expect(recovers!.evidence[0]).toBe('1 recovery(ies) by navigation (per session: tab 1)');
  expect(errors!.verdict).toBe('pass');
});
