import { parseScenario, type Scenario } from '../harness/scenario/parse.ts';
import { HarnessError } from '../harness/errors/harness-error.ts';
import { cached404 } from './cached-404.ts';
import { keepBadStatic15m } from './keep-bad-static-15m.ts';
import { keepReleases, retentionAfterRollback } from './keep-releases.ts';
import { mergedStaticStore } from './merged-static-store.ts';
import { publicFiles } from './public-files.ts';
import { purgeHtmlOnly } from './purge-html-only.ts';
import { purgeFaults, purgeSomeLocations } from './purge-faults.ts';
import { originFaults } from './origin-faults.ts';
import { prefetchedLinkAfterDeploy, ssgDataAfterDeploy } from './prefetch-and-data.ts';
import { sessionFaults } from './session-faults.ts';
import { rollBack } from './roll-back.ts';
import { imageAndFontAfterDeploy, middlewareAfterDeploy, routeHandlerPinned } from './routing-and-endpoints.ts';
import { rollForward } from './roll-forward.ts';
import { rollbackVsForwardFix } from './rollback-vs-forward-fix.ts';
import { rollingCanary } from './rolling-canary.ts';
import { rollbackCanaryOutsideWindow } from './rollback-canary-outside-window.ts';
import { trafficReadFails, unresolvableLiveRevision } from './unresolvable-live-revision.ts';
import { twoTabsOneCookie } from './two-tabs-one-cookie.ts';
import { retentionOutOfOrder, retentionTuning, retentionWebpack } from './retention-tuning.ts';
import { rollbackOpenBadSessions } from './rollback-open-bad-sessions.ts';
import { serverActionAfterDeploy, serverActionAfterRollback, serverActionStableIds } from './server-actions.ts';
import { staleHtml } from './stale-html.ts';
import { storageFaults } from './storage-faults.ts';

/** The catalogue, shared by the CLI, the library and the nightly Playwright suite. */
export const CATALOGUE: Scenario[] = [
  rollForward,
  rollBack,
  keepReleases,
  retentionAfterRollback,
  mergedStaticStore,
  purgeHtmlOnly,
  staleHtml,
  publicFiles,
  keepBadStatic15m,
  cached404,
  rollbackVsForwardFix,
  rollbackOpenBadSessions,
  rollingCanary,
  rollbackCanaryOutsideWindow,
  unresolvableLiveRevision,
  trafficReadFails,
  ...retentionTuning,
  retentionOutOfOrder,
  retentionWebpack,
  twoTabsOneCookie,
  ...purgeFaults,
  purgeSomeLocations,
  ...originFaults,
  ...sessionFaults,
  ...storageFaults,
  serverActionAfterDeploy,
  serverActionStableIds,
  serverActionAfterRollback,
  prefetchedLinkAfterDeploy,
  ssgDataAfterDeploy,
  middlewareAfterDeploy,
  routeHandlerPinned,
  imageAndFontAfterDeploy,
].map((s) => parseScenario(s, `scenarios/${s.name}`));

export function getScenario(name: string): Scenario {
  const s = CATALOGUE.find((x) => x.name === name);
  if (!s)
    throw new HarnessError(
      'UNKNOWN_SCENARIO',
      `unknown scenario "${name}"`,
      `run \`skew list\` to see them: ${CATALOGUE.map((x) => x.name).join(', ')}`,
    );
  return s;
}
