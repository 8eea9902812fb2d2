import { expect, test } from 'next-skew/playwright';

// Runs against skew's fixture app (its pages carry the data-testids used here). For your own
// app, open your pages and use skew.visit(session, path) for client-side navigations.

test('a tab open on A keeps working after B is deployed', async ({ skew }) => {
  await skew.deploy('A');
  const page = await skew.open('alice', '/');
  await expect(page.getByTestId('version')).toHaveText('A');

  await skew.deploy('B');
  await skew.lazyLoad('alice'); // an import() of A's chunk, after B went live
  await skew.navigate('alice', 'link-about', 'page-about'); // a link without prefetch

  const bob = await skew.open('bob', '/'); // a new visitor
  await expect(bob.getByTestId('version')).toHaveText('B');
  await skew.probeAssets('A'); // every file of A still answers through the edge

  skew.expectPass('no-chunk-load-error', 'content-renders', 'old-assets-survive', 'no-hard-reload', 'new-sessions-current');
});

test('rolling back to A keeps the tabs on B working', async ({ skew }) => {
  await skew.deploy('A');
  await skew.deploy('B');
  await skew.open('on-b', '/legacy'); // a Pages Router tab on the bad build
  await skew.rollback('A');
  await skew.lazyLoad('on-b');
  await skew.navigate('on-b', 'link-other', 'page-other');

  skew.expectPass('no-chunk-load-error', 'content-renders', 'no-hard-reload');
});
