import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

/**
 * The store shows B's upload late or in the wrong order (harness/faults/storage-*.ts). The
 * deployer must see its whole upload before it switches; the edge caches 404s the way Cloudflare
 * does, so a chunk that 404ed once stays broken after the store caught up.
 */
function storeFault(name: string, fault: string, params: Record<string, unknown>, title: string, what: string): Scenario {
  return {
    name,
    title,
    description: `A is live with a tab open. While B is deployed, ${what}. A visitor arrives after each reload and purge the deployer makes, and new visitors after the deploy. Nobody may get a 404 for B's chunks, during the deploy or after it (the edge keeps 404s for 3 minutes).`,
    source:
      'rollback-nextjs-static-assets: "The Atomic Deploy + Rollback Pattern" (a release is complete before `current` points at it); issue 7 (storage faults)',
    versions: ['A', 'B'],
    worlds: PINNED_AND_SINGLE_ORIGIN,
    edge: { cacheStatic404: '3m' },
    steps: [
      { kind: 'deploy', version: 'A' },
      { kind: 'openSession', session: 'app-a', path: '/' },
      { kind: 'inject', fault, params },
      { kind: 'deploy', version: 'B', visitDuring: '/' },
      { kind: 'openSession', session: 'app-new', path: '/' },
      { kind: 'lazyLoad', session: 'app-new' },
      { kind: 'heal', fault },
      { kind: 'lazyLoad', session: 'app-a' },
      { kind: 'openSession', session: 'app-later', path: '/' },
      { kind: 'probeAssets', version: 'B' },
    ],
    checks: ['static-before-html', 'no-cached-404', 'no-chunk-load-error', 'content-renders', 'new-sessions-current'],
    reference: {
      good: 'releases-symlink',
      broken: [{ deployer: 'trusts-upload', fails: ['static-before-html', 'no-cached-404', 'content-renders'] }],
    },
  };
}

export const storageFaults: Scenario[] = [
  storeFault(
    'store-shows-upload-late',
    'storage-visible-late',
    { ms: 8_000, under: '/static/' },
    "The store shows B's static files 8 s after they were written",
    "the store shows each of B's static files only 8 s after it was written (eventual consistency)",
  ),
  storeFault(
    'store-applies-html-first',
    'storage-html-first',
    { ms: 8_000 },
    "The store applies B's upload with its static files last",
    "the store applies B's upload in reverse order: its HTML and server files at once, its static files 8 s after the last of them",
  ),
];
