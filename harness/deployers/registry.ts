import { join } from 'node:path';
import { PACKAGE_ROOT } from '../io/package-root.ts';
import { HarnessError } from '../errors/harness-error.ts';
import type { Deployer } from './deployer.ts';
import { commandDeployer } from './external/command-deployer.ts';
import { additiveGc } from '../../deployers/knext/additive-gc.ts';
import {
  gcBucketWide,
  gcIgnoresUnresolved,
  gcKnowsOnlyChunks,
  gcPrefixMatch,
  gcSharedAsBuildId,
  gcSweepsByAge,
  gcWindowOffByOne,
  gcSortsById,
  gcTeardownOnFailedRead,
  pruneOnUpload,
  windowOnlyGc,
} from '../../deployers/knext/broken.ts';

const SCRIPTS = join(PACKAGE_ROOT, 'deployers');

/**
 * Our reference deployers by name: shell scripts written the way the rollback document shows
 * them (`deployers/`), run through the same contract as a user's own. Adding one is a new script
 * and a line here.
 */
const script = (name: string, file: string, reference: 'good' | 'broken', description: string): Deployer =>
  commandDeployer(join(SCRIPTS, file), { name, reference, description });

export const DEPLOYERS: Record<string, Deployer> = Object.fromEntries(
  [
    script(
      'releases-symlink',
      'releases-symlink.sh',
      'good',
      'the document: rsync a release, ln -sfn current, keep the last 3, reload, purge HTML (and changed public files) via the Cloudflare API; cleanup removes a rolled-back release 15 min after its purge; migrates before the switch and refuses a rollback the database has moved past',
    ),
    script(
      'replace-in-place',
      'broken/replace-in-place.sh',
      'broken',
      'BROKEN: replaces the single static directory wholesale (old build files gone) and purges everything',
    ),
    script(
      'own-routing',
      'own-routing.sh',
      'good',
      "single-origin and rolling worlds: the document's script plus skew protection in its own nginx: the replaced release keeps its server or pods (pm2 start) and a map on the deployment id (?dpl= or x-deployment-id) sends its tabs' requests there (rolling: static files from the store too); cleanup stops them 15 min after it was replaced",
    ),
    script(
      'own-routing-stopped',
      'broken/own-routing-stopped.sh',
      'broken',
      "BROKEN (single-origin, rolling): own-routing's nginx map, but it stops the replaced release's server right after the switch; the map still sends that release's tabs to it: 502s",
    ),
    script(
      'own-routing-matcher',
      'broken/own-routing-matcher.sh',
      'broken',
      "BROKEN (single-origin, rolling): own-routing, routing by x-deployment-id only on the paths Next's usual middleware matcher covers; a tab's fetches to /api (route handlers, API routes) reach the new build",
    ),
    script(
      'hide-next-headers',
      'broken/hide-next-headers.sh',
      'broken',
      "BROKEN (single-origin, rolling): own-routing plus a hardening include that hides Next's x-nextjs-* response headers, x-nextjs-deployment-id among them: Next's client can no longer tell another build's answer",
    ),
    script(
      'rollback-repoints-only',
      'broken/rollback-repoints-only.sh',
      'broken',
      'BROKEN: a rollback only re-points current at the kept release, and retention keeps the newest 3 by file age (ls -t | tail): the release a rollback made live again is the oldest on disk, so the next deploy deletes it under its tabs',
    ),
    script(
      'non-atomic-switch',
      'broken/non-atomic-switch.sh',
      'broken',
      "BROKEN: the document's script, but the switch is `rm -f current; …; ln -s`: for a moment there is no current, and a VPS's nginx answers 404 for static files",
    ),
    script(
      'purge-before-switch',
      'broken/purge-before-switch.sh',
      'broken',
      'BROKEN: purges the HTML before the switch and the reload: a visitor in between re-caches the old HTML, which new visitors then get',
    ),
    script(
      'purge-first-batch',
      'broken/purge-first-batch.sh',
      'broken',
      'BROKEN: purges the HTML in one request of the first 100 paths (the per-request limit) and drops the rest: every page past the hundredth keeps the old build at the edge',
    ),
    script(
      'purge-without-base-path',
      'broken/purge-without-base-path.sh',
      'broken',
      "BROKEN: purges the pages by the paths the build's manifests list, without the app's basePath: every purge names a path that is not a page, and under a basePath every page keeps the old build at the edge (caught on the corpus's basePath app; the fixture has none)",
    ),
    script(
      'purge-listed-html',
      'broken/purge-listed-html.sh',
      'broken',
      "BROKEN: the document's script purging only the HTML paths the build lists; pages a getStaticProps route rendered on demand (fallback) stay the old build's at the edge",
    ),
    script(
      'restart-not-reload',
      'broken/restart-not-reload.sh',
      'broken',
      "BROKEN (single-origin): the document's script with pm2 restart for pm2 reload; the old server stops before the new one listens, and requests in between get 502s (--load shows them)",
    ),
    script(
      'merged-store',
      'merged-store.sh',
      'good',
      "rsync every build's .next/static into one merged store the edge serves; keeps only the live release",
    ),
    script(
      'merged-store-delete',
      'broken/merged-store-delete.sh',
      'broken',
      "BROKEN: the merged store synced with rsync --delete; older builds' chunks vanish",
    ),
    script('prune-to-one', 'broken/prune-to-one.sh', 'broken', 'BROKEN: keeps only the new release; older tabs lose their chunks at once'),
    script('purge-static', 'broken/purge-static.sh', 'broken', "BROKEN: also purges /_next/static/* (the document's most common mistake)"),
    script('no-html-purge', 'broken/no-html-purge.sh', 'broken', 'BROKEN: never purges HTML; new visitors get the old build from the edge'),
    script(
      'rerun-trusts-partial',
      'broken/rerun-trusts-partial.sh',
      'broken',
      'BROKEN: copies a release straight to its final name and skips an existing one on a rerun; killed mid-copy, the rerun puts the half-copied release live',
    ),
    script(
      'cleanup-by-age',
      'broken/cleanup-by-age.sh',
      'broken',
      'BROKEN: its cron cleanup removes every release replaced 30 minutes ago; a tab idle for an hour on the previous build finds its chunks gone',
    ),
    script(
      'no-health-check',
      'broken/no-health-check.sh',
      'broken',
      'BROKEN: purges as soon as the reload returns, without checking the new release answers through the edge; a slow, refusing or crashed new origin means 502s for everyone',
    ),
    script(
      'trusts-one-answer',
      'broken/trusts-one-answer.sh',
      'broken',
      'BROKEN: its health check takes the first good answer as proof; a new release that resets a share of its connections goes live, and visitors get 502s',
    ),
    script(
      'impatient-health-check',
      'broken/impatient-health-check.sh',
      'broken',
      'BROKEN: its health check allows 1 s per answer and 3 tries; a slow but healthy new release is refused and never goes live',
    ),
    script(
      'trusts-upload',
      'broken/trusts-upload.sh',
      'broken',
      'BROKEN: switches as soon as its copy returns, without checking the store shows every file; on a store that shows objects late or static files last, visitors get 404s for the new chunks',
    ),
    script(
      'purge-fire-and-forget',
      'broken/purge-fire-and-forget.sh',
      'broken',
      'BROKEN: one purge request, answer ignored, never verified; a rate-limited, failed, hung or late purge leaves the old HTML at the edge',
    ),
    script(
      'no-public-purge',
      'broken/no-public-purge.sh',
      'broken',
      "BROKEN: purges HTML but not the public/ files that changed; the edge keeps the other version's copies",
    ),
    script(
      'cleanup-too-early',
      'broken/cleanup-too-early.sh',
      'broken',
      'BROKEN: its cleanup removes the rolled-back release 5 min after the purge; the document says at least 15',
    ),
    script(
      'delete-bad-static-now',
      'broken/delete-bad-static-now.sh',
      'broken',
      "BROKEN: its cleanup deletes the bad build's _next/static/<buildId>/ right after the rollback",
    ),
    script(
      'html-before-static',
      'broken/html-before-static.sh',
      'broken',
      'BROKEN: the new release goes live (reload, HTML purge) before its static files are uploaded',
    ),
    script(
      'rollback-ignores-schema',
      'broken/rollback-ignores-schema.sh',
      'broken',
      'BROKEN: rolls back onto a database the old code cannot read (no schema check): the pages it serves fail',
    ),
    script(
      'rollback-deletes-bad',
      'broken/rollback-deletes-bad.sh',
      'broken',
      'BROKEN: deletes the bad release right after rolling back; its open tabs break',
    ),
    // The skew-protection document's platform: TypeScript modules through the same contract.
    // Its file, for `skew mutate` (the module exports it as default).
    { ...additiveGc, module: join(SCRIPTS, 'knext/additive-gc.ts') },
    pruneOnUpload,
    windowOnlyGc,
    gcIgnoresUnresolved,
    gcSharedAsBuildId,
    gcPrefixMatch,
    gcTeardownOnFailedRead,
    gcSweepsByAge,
    gcWindowOffByOne,
    gcSortsById,
    gcBucketWide,
    gcKnowsOnlyChunks,
  ].map((d) => [d.name, d]),
);

export function getDeployer(name: string): Deployer {
  const d = DEPLOYERS[name];
  if (!d) throw new HarnessError('UNKNOWN_DEPLOYER', `unknown deployer "${name}"`, `choose one of: ${Object.keys(DEPLOYERS).join(', ')}`);
  return d;
}
