import { atomicSwitch } from './atomic-switch.ts';
import { buildIdPinning } from './build-id-pinning.ts';
import { bucketScoped } from './bucket-scoped.ts';
import { cacheStatus } from './cache-status.ts';
import type { Check } from './check.ts';
import { contentRenders } from './content-renders.ts';
import { deploymentIdHeaders } from './deployment-id-headers.ts';
import { newSessionsCurrent } from './new-sessions-current.ts';
import { noCached404 } from './no-cached-404.ts';
import { noChunkLoadError } from './no-chunk-load-error.ts';
import { noServerErrors } from './no-server-errors.ts';
import { noHardReload } from './no-hard-reload.ts';
import { noReloadLoop } from './no-reload-loop.ts';
import { oldAssetsSurvive } from './old-assets-survive.ts';
import { publicFilesCurrent } from './public-files-current.ts';
import { recoversByNavigation } from './recovers-by-navigation.ts';
import { purgesConfirmed } from './purges-confirmed.ts';
import { loadErrors } from './load-errors.ts';
import { survivesInterruption } from './survives-interruption.ts';
import { referencedObjectsKept } from './referenced-objects-kept.ts';
import { renderedVersion } from './rendered-version.ts';
import { retentionEnforced } from './retention-enforced.ts';
import { rollbackRetention } from './rollback-retention.ts';
import { rollbackSafety } from './rollback-safety.ts';
import { serverActions } from './server-actions.ts';
import { staticBeforeHtml } from './static-before-html.ts';
import { survivalByAge } from './survival-by-age.ts';
import { trafficSplit } from './traffic-split.ts';

/** Every check by name. A new check is one file and one line here. */
export const CHECKS: Record<string, Check> = Object.fromEntries(
  [
    noChunkLoadError,
    contentRenders,
    oldAssetsSurvive,
    cacheStatus,
    noHardReload,
    recoversByNavigation,
    newSessionsCurrent,
    publicFilesCurrent,
    rollbackRetention,
    staticBeforeHtml,
    noCached404,
    rollbackSafety,
    noServerErrors,
    referencedObjectsKept,
    trafficSplit,
    buildIdPinning,
    survivalByAge,
    purgesConfirmed,
    survivesInterruption,
    loadErrors,
    serverActions,
    renderedVersion,
    noReloadLoop,
    deploymentIdHeaders,
    bucketScoped,
    atomicSwitch,
    retentionEnforced,
  ].map((c) => [c.name, c]),
);
