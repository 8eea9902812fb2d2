import type { Scenario } from '../harness/scenario/parse.ts';
import type { Step } from '../harness/steps/index.ts';

/**
 * Tabs on A's /actions page, one of them calling an action before B is deployed; after it, each
 * calls one kind (a form action through useActionState, twice; a button's action;
 * router.refresh(); an action that redirects); then a new visitor on B calls one.
 */
const ACTIONS_ACROSS_A_DEPLOY: Step[] = [
  { kind: 'deploy', version: 'A' },
  { kind: 'openSession', session: 'form-a', path: '/actions' },
  { kind: 'openSession', session: 'button-a', path: '/actions' },
  { kind: 'openSession', session: 'refresh-a', path: '/actions' },
  { kind: 'openSession', session: 'redirect-a', path: '/actions' },
  { kind: 'serverAction', session: 'form-a', via: 'form' },
  { kind: 'deploy', version: 'B' },
  { kind: 'serverAction', session: 'form-a', via: 'form' },
  { kind: 'serverAction', session: 'button-a', via: 'button' },
  { kind: 'refresh', session: 'refresh-a' },
  { kind: 'serverAction', session: 'redirect-a', via: 'redirect' },
  // The tab keeps working: a second call from the same page.
  { kind: 'serverAction', session: 'form-a', via: 'form' },
  { kind: 'openSession', session: 'actions-b', path: '/actions' },
  { kind: 'serverAction', session: 'actions-b', via: 'form' },
];

const CHECKS = [
  'server-actions',
  'rendered-version',
  'deployment-id-headers',
  'content-renders',
  'no-hard-reload',
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

function references(fails: string[], pinnedBroken = 'merged-store'): Scenario['reference'] {
  return {
    good: 'releases-symlink',
    broken: [{ deployer: pinnedBroken, fails }],
    worlds: {
      'single-origin': {
        good: 'own-routing',
        broken: [
          { deployer: 'releases-symlink', fails },
          { deployer: 'own-routing-stopped', fails: ['server-actions'] },
        ],
      },
      rolling: { good: 'own-routing', broken: [{ deployer: 'releases-symlink', fails }] },
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
    "Tabs load A's /actions page; one calls a Server Action. B is deployed. One tab calls the form action (useActionState) twice, one a button's action, one router.refresh(), one an action that redirects: each must be answered by A's server (B's does not know A's action ids: 'Failed to find Server Action'), show A's result and keep the tab working. A new visitor gets B and its actions work.",
  source:
    'vercel/next.js test/e2e/app-dir/segment-cache/deployment-skew (Server Action cases), issue #75541 "Client cannot recover from version skew"; knext-skew-protection: "one origin per kept deployment"',
  versions: ['A', 'B'],
  worlds: ['pinned', 'single-origin', 'rolling'],
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
  worlds: ['pinned', 'single-origin', 'rolling'],
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
    "A, then B is deployed; tabs load B's /actions page and one calls an action. The deployer rolls back to A. The tabs on B call the form action (twice), a button's action and router.refresh(): each must be answered by B's server, show B's result and keep the tab working. A new visitor gets A and its actions work.",
  source:
    'vercel/next.js issue #75541 "Client cannot recover from version skew"; rollback-nextjs-static-assets: FAQ "Can I delete the bad build\'s _next/static/<buildId>/ directory immediately after rollback?"',
  versions: ['A', 'B'],
  worlds: ['pinned', 'single-origin', 'rolling'],
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'deploy', version: 'B' },
    { kind: 'openSession', session: 'form-b', path: '/actions' },
    { kind: 'openSession', session: 'button-b', path: '/actions' },
    { kind: 'openSession', session: 'refresh-b', path: '/actions' },
    { kind: 'serverAction', session: 'form-b', via: 'form' },
    { kind: 'rollback', version: 'A' },
    { kind: 'serverAction', session: 'form-b', via: 'form' },
    { kind: 'serverAction', session: 'button-b', via: 'button' },
    { kind: 'refresh', session: 'refresh-b' },
    { kind: 'serverAction', session: 'form-b', via: 'form' },
    { kind: 'openSession', session: 'actions-a', path: '/actions' },
    { kind: 'serverAction', session: 'actions-a', via: 'form' },
  ],
  checks: CHECKS,
  reference: references(['server-actions', 'content-renders'], 'rollback-deletes-bad'),
};
