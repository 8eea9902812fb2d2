import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

/** Rollback document: "public/ Assets During Rollback". */
export const publicFiles: Scenario = {
  name: 'public-files',
  title: 'public/ files changed by the bad deploy are purged on rollback',
  description:
    "B changes public/ files (/logo.svg, /version.txt). The edge has a cache rule for static-looking files, so visitors fill it with B's copies. After rolling back to A, the edge must serve A's files again — only an explicit purge of the changed paths does that, because their URLs carry no hash.",
  source:
    'rollback-nextjs-static-assets: "public/ Assets During Rollback", path table row "/logo.svg /favicon.ico (public/) — Only if changed in bad deploy"',
  versions: ['A', 'B'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  edge: { publicTtl: '1h' },
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'probePublic' },
    { kind: 'deploy', version: 'B' },
    { kind: 'probePublic' },
    { kind: 'openSession', session: 'app-b', path: '/' },
    { kind: 'rollback', version: 'A' },
    { kind: 'probe', label: 'html-after-rollback', paths: ['/', '/'] },
    { kind: 'probePublic' },
    { kind: 'probePublic' },
    { kind: 'openSession', session: 'app-new', path: '/' },
  ],
  checks: ['public-files-current', 'cache-status', 'new-sessions-current'],
  reference: { good: 'releases-symlink', broken: [{ deployer: 'no-public-purge', fails: ['public-files-current'] }] },
};
