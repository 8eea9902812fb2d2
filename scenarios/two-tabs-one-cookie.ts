import type { Scenario } from '../harness/scenario/parse.ts';

/** Skew protection by cookie (as Amplify documents it): the pin is per browser, not per tab. */
export const twoTabsOneCookie: Scenario = {
  name: 'two-tabs-one-cookie',
  title: 'Two tabs, one deployment cookie',
  description:
    "The edge pins browsers with a deployment cookie, handed out with the first page (as Amplify's skew protection does). Tab 1 loads A. B is then rolled out to 100 %, and the same browser opens a second tab: the cookie it shares pins that tab to A too, while a different browser gets B. Both tabs must keep working (A's files stay in the store), and the report shows what each tab got and why.",
  source:
    'knext-skew-protection: "client-to-build pinning so a client only ever resolves chunks for its own build"; Amplify skew protection: the deployment cookie is shared by every tab of a browser',
  versions: ['A', 'B'],
  platform: true,
  edge: { deploymentCookie: true },
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'tab-1', path: '/' },
    { kind: 'deploy', version: 'B' },
    { kind: 'openSession', session: 'tab-2', path: '/', sameBrowserAs: 'tab-1' },
    { kind: 'openSession', session: 'other-browser', path: '/' },
    { kind: 'lazyLoad', session: 'tab-1' },
    { kind: 'lazyLoad', session: 'tab-2' },
    { kind: 'renderDynamic', session: 'tab-2' },
    { kind: 'navigate', session: 'tab-2', link: 'link-about', expect: 'page-about' },
    { kind: 'probeAssets', version: 'A' },
  ],
  checks: ['no-chunk-load-error', 'content-renders', 'new-sessions-current', 'old-assets-survive', 'referenced-objects-kept'],
  reference: {
    good: 'additive-gc',
    broken: [{ deployer: 'prune-on-upload', fails: ['content-renders', 'old-assets-survive', 'referenced-objects-kept'] }],
  },
};
