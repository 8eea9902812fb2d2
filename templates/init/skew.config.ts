import type { SkewConfig } from 'next-skew';

/**
 * skew's settings for this project (written by `npx skew init`). Flags and SKEW_* variables
 * override them: `npx skew run roll-forward --world single-origin`. Every key: `npx skew run --help`.
 */
export default {
  // This project, built twice (as A and B) in a copy under skew's work folder: your files are only read.
  app: '.',
  // Our deploy, run once per deploy, rollback and cleanup in a sandbox (skew/deploy.sh says what it gets).
  deployer: './skew/deploy.sh',
  // pinned: a server per release behind the CDN, routed by deployment id. single-origin: one server behind
  // our nginx (a VPS with pm2). rolling: a Deployment's pods behind one Service (docs/worlds.md).
  world: 'pinned',
  // One deploy action may take this long (seconds) before it is stopped and the run is inconclusive.
  deployerTimeout: 300,
} satisfies SkewConfig;
