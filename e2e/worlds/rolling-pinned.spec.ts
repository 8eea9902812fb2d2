import { expect, test } from '../../harness/playwright/index.ts';
import { tabOnAMidRollout } from './mid-rollout.ts';

test.use({ skewWorld: 'rolling', skewDeployer: 'own-routing' });

test("rolling, pinned by deployment id: every request of A's tab reaches A, mid-rollout and after", async ({ skew }) => {
  const { page, ask, builds, a } = await tabOnAMidRollout(skew);
  // own-routing kept A's pods and maps A's deployment id to them in its ingress include.
  expect(builds(await ask('mid-rollout'))).toEqual(new Set([a]));
  await skew.lazyLoad('tab');
  await skew.step({ kind: 'resumeRollout' });
  expect(builds(await ask('after-rollout'))).toEqual(new Set([a]));
  await expect(page.getByTestId('version')).toHaveText('A');
  await skew.navigate('tab', 'link-about', 'page-about');
  skew.expectPass('no-chunk-load-error', 'content-renders', 'no-hard-reload', 'no-server-errors');
});
