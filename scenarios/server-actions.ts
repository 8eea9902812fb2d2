import type { Scenario } from '../harness/scenario/parse.ts';
import { ALL_WORLDS } from './bases.ts';
import type { Step } from '../harness/steps/index.ts';

/**
 * Tabs on the old build's /actions page, one of them calling an action before the switch
 * (`change`); after it, each calls one kind (a form action through useActionState, twice; a
 * button's action; router.refresh(); with `redirect`, an action that redirects); then new
 * visitors: one calls an action, one opens a page that refreshes itself once it shows (one load,
 * not a loop).
 */
function actionsAcross(opening: Step[], old: string, change: Step, current: string, { redirect = false } = {}): Step[] {
  const tab = (k: string) => `${k}-${old.toLowerCase()}`;
  const fresh = `actions-${current.toLowerCase()}`;
  return [
    ...opening,
    ...['form', 'button', 'refresh', ...(redirect ? ['redirect'] : [])].map(
      (k): Step => ({ kind: 'openSession', session: tab(k), path: '/actions' }),
    ),
    { kind: 'serverAction', session: tab('form'), via: 'form' },
    change,
    { kind: 'serverAction', session: tab('form'), via: 'form' },
    { kind: 'serverAction', session: tab('button'), via: 'button' },
    { kind: 'refresh', session: tab('refresh') },
    ...(redirect ? [{ kind: 'serverAction', session: tab('redirect'), via: 'redirect' } as Step] : []),
    // The tab keeps working: a second call from the same page.
    { kind: 'serverAction', session: tab('form'), via: 'form' },
    { kind: 'openSession', session: fresh, path: '/actions' },
    { kind: 'openSession', session: `live-${current.toLowerCase()}`, path: '/live' },
    { kind: 'waitFor', session: `live-${current.toLowerCase()}`, expect: 'live-refreshed' },
    { kind: 'serverAction', session: fresh, via: 'form' },
  ];
}

const ACTIONS_ACROSS_A_DEPLOY = actionsAcross([{ kind: 'deploy', version: 'A' }], 'A', { kind: 'deploy', version: 'B' }, 'B', {
  redirect: true,
});

const CHECKS = [
  'server-actions',
  'rendered-version',
  'deployment-id-headers',
  'content-renders',
  'no-hard-reload',
  'no-reload-loop',
  'new-sessions-current',
  'no-server-errors',
];

/**
 * Where an old tab's action lands: in pinned, the edge sends it to A's server while A's release
 * is kept (the document's script keeps three), and the merged static store keeps A's files but
 * stops A's server at once, so the action reaches B. On a VPS and in a rolling update only a
 * deployer that routes by deployment id to A's server (own-routing) keeps it there.
 */
/**
 * Without a deployment id Next sends nothing that names the tab's build with a Server Action: no
 * deployer of ours can send it to that build's server, in any world.
 */
const NO_DEPLOYMENT_ID_LIMIT =
  "built without a deployment id, a Server Action call carries nothing that names the tab's build (no x-deployment-id): nothing can route it to that build's server, so the new build's server gets it, and fails it (each build salts its ids) or runs its own code. Set deploymentId (NEXT_DEPLOYMENT_ID) in next.config, or route on something the tab carries, as a sticky cookie does";

const LIMITED_WITHOUT_DEPLOYMENT_ID = {
  limit: NO_DEPLOYMENT_ID_LIMIT,
  broken: [{ deployer: 'releases-symlink', fails: ['server-actions'] }],
};

/**
 * A hardening include hiding x-nextjs-deployment-id: Next takes every RSC answer for another
 * build's, so the page that refreshes itself on mount loads again and again.
 */
const HIDDEN_HEADER = { deployer: 'hide-next-headers', fails: ['deployment-id-headers', 'no-reload-loop'] };

function references(fails: string[], pinnedBroken = 'merged-store'): Scenario['reference'] {
  return {
    good: 'releases-symlink',
    broken: [{ deployer: pinnedBroken, fails }],
    worlds: {
      'single-origin': {
        good: 'own-routing',
        broken: [{ deployer: 'releases-symlink', fails }, { deployer: 'own-routing-stopped', fails: ['server-actions'] }, HIDDEN_HEADER],
      },
      rolling: { good: 'own-routing', broken: [{ deployer: 'releases-symlink', fails }, HIDDEN_HEADER] },
    },
  };
}

/**
 * The server half of skew, Server Actions (vercel/next.js test/e2e/app-dir/actions-deployment-skew,
 * segment-cache/deployment-skew's action cases): an open tab calls its build's actions by the
 * ids that build gave them, and by default each build salts its ids with a key of its own.
 */
export const serverActionAfterDeploy: Scenario = {
  name: 'server-action-after-deploy',
  title: 'Server Actions of tabs opened on A, after B is deployed',
  description:
    "Tabs load A's /actions page; one calls a Server Action. B is deployed. One tab calls the form action (useActionState) twice, one a button's action, one router.refresh(), one an action that redirects: each must be answered by A's server (B's does not know A's action ids: 'Failed to find Server Action'), show A's result and keep the tab working. A new visitor gets B and its actions work, and a page that refreshes itself once it shows loads once.",
  source:
    'vercel/next.js test/e2e/app-dir/segment-cache/deployment-skew (Server Action cases), issue #75541 "Client cannot recover from version skew"; knext-skew-protection: "one origin per kept deployment"',
  versions: ['A', 'B'],
  worlds: ALL_WORLDS,
  deploymentIds: ['on', 'off'],
  steps: ACTIONS_ACROSS_A_DEPLOY,
  checks: CHECKS,
  reference: {
    ...references(['server-actions', 'content-renders']),
    withoutDeploymentId: {
      pinned: LIMITED_WITHOUT_DEPLOYMENT_ID,
      'single-origin': LIMITED_WITHOUT_DEPLOYMENT_ID,
      rolling: LIMITED_WITHOUT_DEPLOYMENT_ID,
    },
  },
};

/**
 * The same tabs when every build shares one NEXT_SERVER_ACTIONS_ENCRYPTION_KEY (set once in CI, as
 * Next's self-hosting guide advises for several instances, or a .next/cache kept between builds):
 * action ids match across builds, so a new server runs an old tab's call with its own code and
 * nothing reports an error.
 */
export const serverActionStableIds: Scenario = {
  name: 'server-action-stable-ids',
  title: 'Server Actions with ids stable across builds (one shared encryption key)',
  description:
    "As server-action-after-deploy, with A and B built with the same NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: B's server knows A's action ids and runs B's code for them. An old tab must still get A's answers: a result from B in A's page is skew no error shows.",
  source:
    'Next.js docs "Self-hosting: Server Actions encryption key" (NEXT_SERVER_ACTIONS_ENCRYPTION_KEY for several instances); vercel/next.js test/e2e/app-dir/segment-cache/deployment-skew',
  versions: ['A', 'B'],
  worlds: ALL_WORLDS,
  actionIds: 'shared',
  steps: ACTIONS_ACROSS_A_DEPLOY,
  checks: CHECKS,
  reference: references(['server-actions', 'rendered-version']),
};

/**
 * The same calls from tabs on the build rolled back from (vercel/next.js #75541 reports the client
 * stuck after a rollback): the document keeps the bad release's files after a rollback, and in
 * pinned its server runs while it is kept; deleting it at once ("it is broken anyway") leaves its
 * tabs' actions to A's server, which does not know them.
 */
export const serverActionAfterRollback: Scenario = {
  name: 'server-action-after-rollback',
  title: 'Server Actions of tabs opened on B, after the rollback to A',
  description:
    "A, then B is deployed; tabs load B's /actions page and one calls an action. The deployer rolls back to A. The tabs on B call the form action (twice), a button's action and router.refresh(): each must be answered by B's server, show B's result and keep the tab working. A new visitor gets A and its actions work, and a page that refreshes itself loads once.",
  source:
    'vercel/next.js issue #75541 "Client cannot recover from version skew"; rollback-nextjs-static-assets: FAQ "Can I delete the bad build\'s _next/static/<buildId>/ directory immediately after rollback?"',
  versions: ['A', 'B'],
  worlds: ALL_WORLDS,
  steps: actionsAcross(
    [
      { kind: 'deploy', version: 'A' },
      { kind: 'deploy', version: 'B' },
    ],
    'B',
    { kind: 'rollback', version: 'A' },
    'A',
  ),
  checks: CHECKS,
  reference: references(['server-actions', 'content-renders'], 'rollback-deletes-bad'),
};
