import { expect, test } from '../../harness/playwright/index.ts';
import { tabOnAMidRollout } from './mid-rollout.ts';

test.use({ skewWorld: 'rolling', skewDeployer: 'releases-symlink' });

test("rolling, a plain rolling update: one tab's requests land on both builds mid-rollout, then on B alone", async ({ skew }) => {
  const { ask, builds, a, b } = await tabOnAMidRollout(skew);
  const mid = await ask('mid-rollout');
  // Nothing routes by deployment id: round-robin over two pods of each build.
  expect(builds(mid)).toEqual(new Set([a, b]));
  expect(new Set(mid.map((m) => m.pod)).size).toBe(4);
  await skew.step({ kind: 'resumeRollout' });
  expect(builds(await ask('after-rollout'))).toEqual(new Set([b]));
  // The tab's lazy chunk is a 404 on B's pods: the plain rollout breaks it.
  await skew.lazyLoad('tab');
  const [chunks, renders] = skew.judge('no-chunk-load-error', 'content-renders');
  expect(chunks!.verdict).toBe('fail');
  expect(renders!.verdict).toBe('fail');
});
