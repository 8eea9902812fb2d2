import type { Scenario } from '../harness/scenario/parse.ts';
import type { Step } from '../harness/steps/index.ts';

/** Skew-protection document, "Tuning retention": how many deploys a session survives at assetRetention N. */
const VERSIONS = ['A', 'B', 'C', 'D', 'E', 'F'];

function tuning(retention: number, order: readonly string[] = VERSIONS, name = `retention-${retention}`): Scenario {
  // Each build goes live in turn with a Pages Router tab opened on it. At the end every tab
  // follows a link, and a late visitor loads each build's HTML fresh (a CDN node the purge has
  // not reached, a reload from cache): open tabs hold their manifest in memory, fresh loads
  // need the build-id folder.
  const steps: Step[] = order.flatMap(
    (v) =>
      [
        { kind: 'deploy', version: v },
        { kind: 'openSession', session: `pages-${v.toLowerCase()}`, path: '/legacy' },
      ] as Step[],
  );
  for (const v of order.map((x) => x.toLowerCase())) {
    steps.push(
      { kind: 'navigate', session: `pages-${v}`, link: 'link-ssr', expect: 'page-ssr' },
      { kind: 'openStaleSession', session: `late-${v}`, from: `pages-${v}` },
      { kind: 'navigate', session: `late-${v}`, link: 'link-ssr', expect: 'page-ssr' },
    );
  }
  return {
    name,
    title: `Retention tuning: assetRetention ${retention} over six deploys`,
    description: `Six builds go live one after the other (A to F), each with a Pages Router tab opened on it, with the skew-protection GC at assetRetention ${retention}. Then every tab follows a link, and a late visitor loads each build's HTML fresh and follows it too. The report's table shows, for each session, how many deploys old its build is and whether it kept working. Sessions inside the window must keep working; older ones show what the window costs (open tabs keep their manifest in memory; fresh loads of old HTML need the build-id folder).`,
    source: 'knext-skew-protection: "Tuning retention … raising assetRetention widens the skew window for normal rollouts"',
    versions: VERSIONS,
    platform: true,
    deployerOptions: { assetRetention: String(retention) },
    steps,
    // The bucket is shared with another app (seeded by the stack): a GC must never reach it.
    // And the window's other half: what it does not keep is deleted (a GC that never deletes passes the rest).
    checks: ['survival-by-age', 'referenced-objects-kept', 'bucket-scoped', 'retention-enforced'],
    reference: {
      good: 'additive-gc',
      broken: [
        { deployer: 'gc-sweeps-by-age', fails: ['referenced-objects-kept'] },
        // Once is enough for the nightly: chunks/ ages out of the window like a build id.
        ...(retention === 3
          ? [
              { deployer: 'gc-shared-as-build-id', fails: ['survival-by-age', 'referenced-objects-kept'] },
              // One build too few: every session kept working (the edge held the manifest), the folder is gone.
              { deployer: 'gc-window-off-by-one', fails: ['survival-by-age'] },
              // The shop's builds are older than ours: ranked with them, they go first.
              { deployer: 'gc-bucket-wide', fails: ['bucket-scoped'] },
            ]
          : []),
      ],
    },
  };
}

export const retentionTuning: Scenario[] = [1, 3, 5].map((n) => tuning(n));

/**
 * Field report: a GC that picks the "newest" build ids by sorting them as strings. The fixture's
 * ids start with their version letter, so deploys in letter order hide it: here the builds go
 * live out of letter order, and the retain window must follow the deploys.
 */
const shuffled = tuning(3, ['D', 'B', 'F', 'A', 'C', 'E'], 'retention-out-of-order');
export const retentionOutOfOrder: Scenario = {
  ...shuffled,
  title: 'Retention when build ids do not sort like deploys: D, B, F, A, C, E at assetRetention 3',
  description: `${shuffled.description} The builds go live in the order D, B, F, A, C, E, so their ids (which start with the version letter) sort unlike the deploys: the window must keep E, C and A, the newest deploys, not F, E and D.`,
  reference: { good: 'additive-gc', broken: [{ deployer: 'gc-sorts-by-id', fails: ['survival-by-age'] }] },
};

/**
 * Turbopack writes its CSS into `chunks/`; webpack into the shared `css/` (both write fonts and
 * images to `media/`). A GC that knows only `chunks/` as shared takes the others for build ids:
 * retention at 3 on webpack's output.
 */
const webpack = tuning(3, VERSIONS, 'retention-webpack');
export const retentionWebpack: Scenario = {
  ...webpack,
  title: "Retention on webpack's output (css/ and media/ beside chunks/) at assetRetention 3",
  description: `${webpack.description} The builds are webpack's, whose static output has the shared folders css/ and media/ besides chunks/: a GC must keep them as it keeps chunks/.`,
  bundler: 'webpack',
  reference: {
    good: 'additive-gc',
    broken: [
      { deployer: 'gc-knows-only-chunks', fails: ['survival-by-age', 'referenced-objects-kept'] },
      { deployer: 'gc-shared-as-build-id', fails: ['survival-by-age', 'referenced-objects-kept'] },
    ],
  },
};
