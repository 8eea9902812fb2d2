import { test } from 'next-skew/playwright';

// A tab opened before a deploy, used after it (written by `npx skew init`). Open your own pages
// and flows here: skew.open(session, path) for a new tab, skew.visit(session, path) for a
// client-side navigation in it, skew.session(name).page for anything else Playwright can do.
// What each check judges: `npx skew list`.

test('a tab open on A keeps working after B is deployed', async ({ skew }) => {
  await skew.deploy('A');
  await skew.open('alice', '/'); // a tab on build A

  await skew.deploy('B');
  await skew.visit('alice', '/'); // that old tab navigates after B went live
  await skew.open('bob', '/'); // a new visitor
  await skew.probeAssets('A'); // every file of A still answers through the CDN

  skew.expectPass('no-chunk-load-error', 'content-renders', 'no-hard-reload', 'old-assets-survive', 'new-sessions-current');
});
