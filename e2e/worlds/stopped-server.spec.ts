import { expect, test } from '../../harness/playwright/index.ts';
import { clickAfterDeploy } from './click.ts';

test.use({ skewWorld: 'single-origin', skewDeployer: 'own-routing-stopped' });

test('single-origin, own-routing-stopped: the route leads to a stopped server, the click gets a 502', async ({ skew }) => {
  await clickAfterDeploy(skew);
  const [errors, reload] = skew.judge('no-server-errors', 'no-hard-reload');
  expect(errors!.verdict).toBe('fail');
  expect(errors!.evidence[0]).toMatch(/^session tab: 502 for \/about/);
  expect(reload!.verdict).toBe('fail');
});
