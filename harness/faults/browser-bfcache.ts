import { z } from 'zod';
import type { BfcacheRestore } from '../browser/session.ts';
import { NO_BFCACHE_FLAG } from '../browser/launch.ts';
import { recordHit, type FaultKind } from './fault.ts';
import { sessionsOf, sessionsParam } from './browser-sessions.ts';
import { HarnessError } from '../errors/harness-error.ts';

const params = z.strictObject({
  sessions: sessionsParam,
  /** Where the tabs go meanwhile: another document on the same edge (a public file of the fixture). */
  away: z.string().startsWith('/').default('/logo.svg'),
});

/**
 * The user follows a link out and comes back with the back button: Chromium restores the page
 * from its back/forward cache, JS heap and all, so the tab runs the build it loaded before the
 * deploy without loading anything. Unlike a reload, nothing tells it a new build is live.
 */
export const browserBfcache: FaultKind<z.infer<typeof params>> = {
  name: 'browser-bfcache',
  area: 'browser',
  needs: ['bfcache'],
  description:
    "The sessions' tabs navigate away to another document on the same edge (`away`), so Chromium keeps their page in its back/forward cache; at heal the back button restores it, with the build it loaded still in memory and nothing refetched. Its next lazy chunk or navigation must still work. The heal fails, naming Chromium's reasons, if the page was loaded anew instead: that would test a reload, not a restore.",
  params,
  label: (p) => `${p.sessions?.join(', ') ?? 'every open session'} left for ${p.away} (back button at heal)`,
  async inject(ctx, p) {
    const sessions = sessionsOf(ctx, p.sessions);
    for (const s of sessions) await s.leaveForBfcache(new URL(p.away, s.page.url()).toString());
    return async () => {
      const failures: string[] = [];
      for (const s of sessions) {
        const r = await s.restoreFromBfcache();
        if (r.restored)
          recordHit(
            ctx,
            'browser-bfcache',
            `${s.name} restored from the back/forward cache with build ${(await s.version()) ?? '(unknown)'} in memory`,
          );
        else failures.push(notRestoredMessage(s.name, r));
      }
      // One line: a step error is reported by its first line.
      if (failures.length)
        throw new HarnessError(
          'FAULT_NOT_APPLIED',
          failures.join('; '),
          'run it in a Chromium that keeps the back/forward cache (a scenario that injects browser-bfcache gets one)',
        );
    };
  },
};

/** Why Chromium loaded the page anew, in one line: a run that went on would test a reload, not a restore. */
export function notRestoredMessage(session: string, r: Extract<BfcacheRestore, { restored: false }>): string {
  const page = reasonsOf(r.notRestoredReasons);
  const said = [
    r.explanations.length ? `Chromium: ${r.explanations.join(', ')}` : 'Chromium gave no reason',
    ...(page.length ? [`notRestoredReasons: ${page.join(', ')}`] : []),
  ].join('; ');
  const byFlag = r.explanations.includes('BackForwardCacheDisabledByCommandLine')
    ? ` — the browser was launched with ${NO_BFCACHE_FLAG}: a run enables the cache only when its scenario injects browser-bfcache (Playwright specs: skewFaults: ['browser-bfcache'])`
    : '';
  return `${session} was not restored from the back/forward cache: going back loaded ${r.url} anew, so the tab lost the build it had in memory and the scenario would test a plain reload (${said})${byFlag}`;
}

/**
 * The reasons in a PerformanceNavigationTiming.notRestoredReasons tree (as JSON): the main
 * frame's, then each iframe's, named by its src. Anything else (null: restored, or no reasons
 * exposed) gives none.
 */
export function reasonsOf(tree: unknown, frame?: string): string[] {
  if (!tree || typeof tree !== 'object') return [];
  const t = tree as { reasons?: unknown; children?: unknown; src?: unknown; url?: unknown; id?: unknown };
  const own = (Array.isArray(t.reasons) ? t.reasons : [])
    .map((x: unknown) =>
      x && typeof x === 'object' && typeof (x as { reason?: unknown }).reason === 'string' ? (x as { reason: string }).reason : null,
    )
    .filter((x): x is string => x !== null)
    .map((x) => (frame ? `${x} (iframe ${frame})` : x));
  const children = (Array.isArray(t.children) ? t.children : []).flatMap((c: unknown) => {
    const ct = (c ?? {}) as { src?: unknown; url?: unknown; id?: unknown };
    const name = [ct.src, ct.url, ct.id].find((v): v is string => typeof v === 'string' && v !== '') ?? '(unnamed)';
    return reasonsOf(c, name);
  });
  return [...own, ...children];
}
