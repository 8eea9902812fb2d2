import type { Scenario } from '../scenario/parse.ts';
import type { Step } from '../steps/index.ts';
import type { AppProfile } from './discover.ts';
import type { AppRoute } from './routes.ts';

/**
 * The catalogue is written against the fixture's pages: `/` (App Router, with a lazy button,
 * next/dynamic and prefetch={false} links) and `/legacy` (the same in the Pages Router). On a
 * user's app each such step is mapped to the app's own discovered pages; a step that has no
 * counterpart is left out and named as a gap, so the scenario is `inconclusive`, never a pass
 * that did not test anything.
 */
export interface Adapted {
  scenario: Scenario;
  /**
   * What the app lacks that the scenario needs to prove its point, one line each (empty: the
   * scenario is judged). A scenario's point is its old tabs: tabs opened before a deploy that act
   * after it. When none of their actions can run on the app, nothing here can show skew.
   */
  gaps: string[];
  /**
   * Steps that do not apply to this app and were left out while what remains still proves the
   * point (an App-Router-only app has no Pages Router sessions), one line each.
   */
  notApplicable: string[];
  /** Which page each fixture path and link became, for the report. */
  mapping: string[];
}

type Router = AppRoute['router'];
const ROUTER_NAME: Record<Router, string> = { app: 'App Router', pages: 'Pages Router' };
/** What each fixture link leads to: the kind of page to look for in the app. */
const LINK_KIND: Record<string, AppRoute['kind']> = {
  'link-about': 'static',
  'link-item': 'dynamic',
  'link-other': 'static',
  'link-ssr': 'ssr',
};

/** The fixture's own pages the server half exercises; an app has no counterpart to map them to. */
const FIXTURE_ONLY_PAGES = /^\/(actions|live|prefetch|server|media|mw)(\/|$)|^\/legacy\/(data|ssg)(\/|$)/;

/** Why a scenario cannot run on any app at all (then nothing is built), or undefined. */
export function notApplicable(scenario: Scenario): string | undefined {
  if (scenario.schema) return "needs the fixture's database and its schema migrations (/account): not applicable to an app";
  const opened = scenario.steps.flatMap((s) => (s.kind === 'openSession' ? [s.path] : []));
  if (opened.length && opened.every((p) => FIXTURE_ONLY_PAGES.test(p)))
    return `its tabs open the fixture's own ${[...new Set(opened)].join(', ')} (Server Actions, data routes, the proxy, route handlers with known answers), which an app does not have: not applicable to an app`;
  return undefined;
}

/** Steps a tab takes by itself after it opened (what can show skew once a deploy happened). */
const TAB_ACTIONS = new Set<Step['kind']>([
  'lazyLoad',
  'renderDynamic',
  'navigate',
  'visit',
  'refresh',
  'serverAction',
  'prefetch',
  'click',
  'waitFor',
  'fetchRoute',
]);

/** What an app needs for an old tab to have something to do after a deploy: said where it has none. */
const OLD_TAB_NEEDS =
  'An old tab needs a page to reach by a link or a module loaded late (next/dynamic, import()) to show skew; the deploy-side checks (old-assets-survive, cache-status, new-sessions-current) judged the deployer all the same';

export function adaptScenario(scenario: Scenario, profile: AppProfile): Adapted {
  const gaps: string[] = [];
  const mapping: string[] = [];
  const na = notApplicable(scenario);
  if (na) return { scenario, gaps: [na], notApplicable: [], mapping };
  const ok = profile.routes.filter((r) => profile.visited[r.path]?.startsWith('HTTP 2') || profile.visited[r.path]?.startsWith('HTTP 3'));
  const has = (router: Router) => ok.some((r) => r.router === router);
  const primary: Router = has('app') ? 'app' : 'pages';
  // Entries are pages that do not lazy-load, so a lazy page is still unvisited when a step needs it.
  const entryOf = (router: Router): AppRoute | undefined => {
    const mine = ok.filter((r) => r.router === router && r.kind !== 'dynamic');
    const calm = mine.filter((r) => !profile.lazy.includes(r.path));
    const pool = calm.length ? calm : mine;
    return pool.find((r) => /^\/?$|\/$/.test(r.path) || r.pattern === '/') ?? pool[0] ?? ok.find((r) => r.router === router);
  };
  const entries: Partial<Record<string, AppRoute>> = { '/': entryOf(primary), '/legacy': has('pages') ? entryOf('pages') : undefined };
  const mapPath = (p: string): string | undefined => entries[p]?.path;
  const sessions = new Map<string, { router: Router; visited: Set<string>; lazyDone: boolean; at: string }>();
  const dropped = new Set<string>();
  const leftOut: string[] = [];
  const gap = (line: string) => void (leftOut.includes(line) || leftOut.push(line));
  const noted = (line: string) => void (mapping.includes(line) || mapping.push(line));
  // Old tabs: sessions opened before a deploy. Their actions after it are what the scenario is about.
  const deploysSeen = new Map<string, number>();
  let deploys = 0;
  let oldTabActions = 0;
  let keptOldTabActions = 0;
  const isOldTabAction = (s: Step) => TAB_ACTIONS.has(s.kind) && 'session' in s && deploys > (deploysSeen.get(s.session) ?? deploys);

  // A scenario without old tabs (a tab pinned to an older build, opened at the end) is about its sessions.
  let sessionsWanted = 0;
  let sessionsKept = 0;

  const steps: Step[] = [];
  for (const s of scenario.steps) {
    if (s.kind === 'deploy' || s.kind === 'rollback') deploys++;
    const opens = s.kind === 'openSession' || s.kind === 'openStaleSession';
    if (opens) deploysSeen.set(s.session, deploys);
    const oldTab = isOldTabAction(s);
    if (oldTab) oldTabActions++;
    if (opens) sessionsWanted++;
    const before = steps.length;
    adaptStep(s);
    if (oldTab && steps.length > before) keptOldTabActions++;
    if (opens && steps.length > before) sessionsKept++;
  }
  const unjudged = oldTabActions ? !keptOldTabActions : sessionsWanted > 0 && !sessionsKept;
  if (unjudged)
    gaps.push(
      oldTabActions
        ? `no step of a tab opened before a deploy could run on this app's pages, so nothing here can show skew: ${leftOut.join('; ')}. ${OLD_TAB_NEEDS}`
        : `no session of this scenario can open on this app's pages, so nothing here can show skew: ${leftOut.join('; ')}`,
    );
  // The platform keys its store and its GC by BUILD_ID: on an app (whose next.config decides the
  // id) every platform scenario also judges that rule, or a shared id would make GC verdicts vacuous.
  // (Only when the scenario is judged at all: a scenario whose tabs could not run is not a verdict on the store.)
  const checks =
    scenario.platform && !gaps.length && !scenario.checks.includes('build-id-pinning')
      ? [...scenario.checks, 'build-id-pinning']
      : scenario.checks;
  if (checks !== scenario.checks) noted("build-id-pinning judged too: the platform's store and GC are keyed by BUILD_ID");
  return { scenario: { ...scenario, steps, checks }, gaps, notApplicable: unjudged ? [] : leftOut, mapping };

  function adaptStep(s: Step): void {
    if ('session' in s && dropped.has(s.session)) return;
    switch (s.kind) {
      case 'openSession': {
        const e = entries[s.path];
        if (!e) {
          dropped.add(s.session);
          gap(
            s.path === '/legacy'
              ? 'no Pages Router page: the steps of the Pages Router sessions were left out'
              : `no page stands in for the fixture's ${s.path}: session ${s.session} was left out`,
          );
          return;
        }
        noted(`fixture ${s.path} → ${e.path} (${ROUTER_NAME[e.router]})`);
        sessions.set(s.session, { router: e.router, visited: new Set([e.path]), lazyDone: false, at: e.path });
        steps.push({ ...s, path: e.path });
        break;
      }
      case 'openStaleSession': {
        // It loads the page its `from` session is on, from that session's HTML.
        const from = sessions.get(s.from);
        if (!from || dropped.has(s.from)) {
          dropped.add(s.session);
          return;
        }
        sessions.set(s.session, { router: from.router, visited: new Set([from.at]), lazyDone: false, at: from.at });
        steps.push(s);
        break;
      }
      case 'lazyLoad':
      case 'renderDynamic': {
        const st = sessions.get(s.session)!;
        if (st.lazyDone) return; // import() and next/dynamic are one discovery on an app: one visit covers both
        const lazy = ok.find((r) => r.router === st.router && profile.lazy.includes(r.path) && !st.visited.has(r.path));
        // Without a lazy page, a page the tab has not loaded yet asks for its chunks after the
        // deploy the same way: the failure mode (a chunk of the tab's build requested late) is kept.
        const target =
          lazy ??
          ok.find((r) => r.router === st.router && !st.visited.has(r.path) && r.kind !== 'dynamic') ??
          ok.find((r) => r.router === st.router && !st.visited.has(r.path));
        if (!target) {
          gap(
            `no ${ROUTER_NAME[st.router]} page lazy-loads chunks after load and no other page is left to load late: the lazy import() and next/dynamic steps were left out`,
          );
          return;
        }
        st.lazyDone = true;
        st.visited.add(target.path);
        st.at = target.path;
        noted(
          lazy
            ? `lazy import() / next/dynamic → client-side visit of ${target.path}`
            : `lazy import() / next/dynamic → client-side visit of ${target.path} (no ${ROUTER_NAME[st.router]} page lazy-loads after load: a page not loaded yet fetches its chunks late the same way)`,
        );
        steps.push({ kind: 'visit', session: s.session, path: target.path });
        break;
      }
      case 'navigate': {
        const st = sessions.get(s.session)!;
        const want = LINK_KIND[s.link];
        const fresh = ok.filter((r) => r.router === st.router && !st.visited.has(r.path));
        const target = fresh.find((r) => r.kind === want) ?? fresh.find((r) => !profile.lazy.includes(r.path)) ?? fresh[0];
        if (!target) {
          gap(`no further ${ROUTER_NAME[st.router]} page to navigate to from ${[...st.visited].join(', ')}: the link steps were left out`);
          return;
        }
        if (want && target.kind !== want)
          noted(`${s.link} (${want} page) → ${target.path} (the app has no unvisited ${want} ${ROUTER_NAME[st.router]} page)`);
        else noted(`${s.link} → ${target.path}`);
        st.visited.add(target.path);
        st.at = target.path;
        steps.push({ kind: 'visit', session: s.session, path: target.path });
        break;
      }
      case 'probe': {
        const paths = s.paths.map(mapPath).filter((p): p is string => !!p);
        if (paths.length) steps.push({ ...s, paths });
        break;
      }
      case 'probePublic': {
        // Only the files the app serves at their own paths: a middleware that redirects every
        // path to a locale hides public/ behind it, and that is the app's routing, not skew.
        if (!profile.publicServed.length) {
          const line = `the app serves none of its public/ files at their own paths (${Object.entries(profile.publicHidden)
            .slice(0, 3)
            .map(([p, o]) => `${p}: ${o}`)
            .join('; ')}): nothing to judge on public files`;
          if (!gaps.includes(line)) gaps.push(line);
          return;
        }
        const hidden = Object.keys(profile.publicHidden);
        if (hidden.length) gap(`public/ files the app does not serve at their own paths were not probed: ${hidden.slice(0, 5).join(', ')}`);
        steps.push({ ...s, paths: s.paths?.filter((p) => profile.publicServed.includes(p)) ?? profile.publicServed });
        break;
      }
      case 'probeSplit': {
        const path = mapPath(s.path ?? '/');
        if (path) steps.push({ ...s, path });
        break;
      }
      case 'deploy': {
        const path = s.visitDuring ? mapPath(s.visitDuring) : undefined;
        const { visitDuring: _, ...rest } = s;
        steps.push(path ? { ...rest, visitDuring: path } : rest);
        break;
      }
      default:
        steps.push(s);
    }
  }
}

/**
 * A's static files that B does not have. Zero means the app's client code did not change
 * between the versions (e.g. an app with only Server Components): nothing can skew.
 */
export function skewableFiles(a: { assets: { url: string; kind: string }[] }, b: { assets: { url: string }[] }): number {
  const inB = new Set(b.assets.map((x) => x.url));
  return a.assets.filter((x) => x.kind !== 'build-manifest' && !inB.has(x.url)).length;
}
