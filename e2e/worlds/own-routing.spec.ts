import { expect, test } from '../../harness/playwright/index.ts';
import { clickAfterDeploy } from './click.ts';

test.use({ skewWorld: 'single-origin', skewDeployer: 'own-routing' });

test('single-origin, own-routing: the tab keeps working on its own build (no reload, the page of A)', async ({ skew }) => {
  const page = await clickAfterDeploy(skew);
  await expect(page.getByTestId('version')).toHaveText('A');
  skew.expectPass('content-renders', 'no-hard-reload', 'recovers-by-navigation', 'no-server-errors');
});
