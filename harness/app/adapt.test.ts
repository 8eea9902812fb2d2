import { describe, expect, it } from 'vitest';
import { CATALOGUE, getScenario } from '../../scenarios/index.ts';
import type { Step } from '../steps/index.ts';
import { adaptScenario, notApplicable, skewableFiles } from './adapt.ts';
import type { AppProfile } from './discover.ts';
import type { AppRoute } from './routes.ts';

const route = (path: string, router: AppRoute['router'], kind: AppRoute['kind'] = 'static', pattern = path): AppRoute => ({
  path,
  pattern,
  router,
  kind,
});

/** A profile where every route opened with HTTP 200 unless `visited` says otherwise. */
const profile = (routes: AppRoute[], lazy: string[] = [], visited: Record<string, string> = {}): AppProfile => ({
  routes,
  unvisitable: [],
  lazy,
  visited: { ...Object.fromEntries(routes.map((r) => [r.path, 'HTTP 200'])), ...visited },
  clientRouter: true,
  publicServed: ['/skew-version.txt'],
  publicHidden: {},
});

const FULL_ROUTES: AppRoute[] = [
  route('/', 'app'),
  route('/about', 'app'),
  route('/items/1', 'app', 'dynamic', '/items/[id]'),
  route('/lazy', 'app'),
  route('/help', 'pages'),
  route('/legacy', 'pages'),
  route('/report', 'pages', 'ssr'),
];
const FULL = profile(FULL_ROUTES, ['/lazy', '/report']);

const ofSession = (steps: Step[], session: string) => steps.filter((s) => 'session' in s && s.session === session);
/** The pages a session loads: its openSession path and each visit, in order. */
const pathsOf = (steps: Step[], session: string) =>
  ofSession(steps, session).flatMap((s) => (s.kind === 'openSession' || s.kind === 'visit' ? [s.path] : []));
const sessions = (steps: Step[]) => [...new Set(steps.flatMap((s) => ('session' in s ? [s.session] : [])))];
const routeAt = (path: string) => FULL_ROUTES.find((r) => r.path === path)!;

describe('adaptScenario on a full app (App and Pages Router, lazy, dynamic and ssr pages)', () => {
  const rollForward = getScenario('roll-forward');
  const { scenario, gaps, mapping } = adaptScenario(rollForward, FULL);

  it('covers roll-forward with no gaps and keeps its name, versions and checks', () => {
    expect(gaps).toEqual([]);
    expect(scenario.name).toBe('roll-forward');
    expect(scenario.versions).toEqual(rollForward.versions);
    expect(scenario.checks).toEqual(rollForward.checks);
    expect(mapping.length).toBeGreaterThan(0);
  });

  it('turns lazyLoad + renderDynamic into one visit per session, to a lazy page of the same router', () => {
    expect(scenario.steps.some((s) => s.kind === 'lazyLoad' || s.kind === 'renderDynamic')).toBe(false);
    for (const session of ['app-a', 'pages-a']) {
      const lazyVisits = ofSession(scenario.steps, session).filter((s) => s.kind === 'visit' && FULL.lazy.includes(s.path));
      expect(lazyVisits, session).toHaveLength(1);
    }
    expect(pathsOf(scenario.steps, 'app-a')).toContain('/lazy');
    expect(pathsOf(scenario.steps, 'pages-a')).toContain('/report');
    expect(mapping.some((m) => m.includes('lazy import() / next/dynamic'))).toBe(true);
  });

  it('sends link-item to the dynamic page and link-ssr to the ssr page', () => {
    expect(pathsOf(scenario.steps, 'app-a-items')).toEqual(['/', '/items/1']);
    expect(pathsOf(scenario.steps, 'pages-a-ssr').at(-1)).toBe('/report');
    expect(mapping).toContain('link-item → /items/1');
    expect(mapping).toContain('link-ssr → /report');
  });

  it('opens the App Router sessions on / and the /legacy sessions on a non-lazy Pages Router page', () => {
    const opens = scenario.steps.filter((s) => s.kind === 'openSession');
    expect(opens.map((s) => s.session)).toEqual(rollForward.steps.filter((s) => s.kind === 'openSession').map((s) => s.session));
    for (const s of opens) {
      const original = rollForward.steps.find((o) => o.kind === 'openSession' && o.session === s.session)!;
      if (original.kind !== 'openSession') throw new Error('unreachable');
      if (original.path === '/') expect(s.path).toBe('/');
      else {
        expect(routeAt(s.path).router).toBe('pages');
        expect(FULL.lazy).not.toContain(s.path);
      }
    }
  });

  it('never sends a session to a page it has already loaded', () => {
    for (const session of sessions(scenario.steps)) {
      const paths = pathsOf(scenario.steps, session);
      expect(new Set(paths).size, `${session}: ${paths.join(', ')}`).toBe(paths.length);
    }
  });

  it('keeps every visit in the router its session opened in', () => {
    for (const session of sessions(scenario.steps)) {
      const routers = new Set(pathsOf(scenario.steps, session).map((p) => routeAt(p).router));
      expect(routers.size, session).toBe(1);
    }
  });

  it('maps probe paths to the entry page and passes deploy and probeAssets through', () => {
    const probes = scenario.steps.filter((s) => s.kind === 'probe');
    expect(probes.map((s) => s.paths)).toEqual([
      ['/', '/'],
      ['/', '/'],
    ]);
    expect(scenario.steps.filter((s) => s.kind === 'deploy')).toEqual(rollForward.steps.filter((s) => s.kind === 'deploy'));
    expect(scenario.steps.at(-1)).toEqual({ kind: 'probeAssets', version: 'A' });
  });

  it('does not change the catalogue scenario it was given', () => {
    expect(getScenario('roll-forward').steps.some((s) => s.kind === 'lazyLoad')).toBe(true);
  });
});

describe('adaptScenario on an App-Router-only app with one page', () => {
  const single = profile([route('/', 'app')]);
  const { scenario, gaps } = adaptScenario(getScenario('roll-forward'), single);

  it('names each missing piece: the Pages Router, a lazy page and a page to link to', () => {
    expect(gaps.some((g) => g.includes('no Pages Router page'))).toBe(true);
    expect(gaps.some((g) => g.includes('lazy-loads'))).toBe(true);
    expect(gaps.some((g) => g.includes('navigate'))).toBe(true);
    expect(new Set(gaps).size).toBe(gaps.length);
  });

  it('drops every step of the Pages Router sessions', () => {
    expect(ofSession(scenario.steps, 'pages-a')).toEqual([]);
    expect(ofSession(scenario.steps, 'pages-a-ssr')).toEqual([]);
  });

  it('keeps the App Router sessions open on / without visits', () => {
    expect(scenario.steps.filter((s) => s.kind === 'openSession').map((s) => s.session)).toEqual([
      'app-a',
      'app-a-items',
      'mid-deploy',
      'app-b',
    ]);
    expect(scenario.steps.some((s) => s.kind === 'visit')).toBe(false);
  });
});

describe('adaptScenario on an App-Router-only app with several pages (the shape of most new apps)', () => {
  const appOnly = profile(
    [route('/', 'app'), route('/about', 'app'), route('/blog/a', 'app', 'dynamic', '/blog/[slug]'), route('/lazy', 'app')],
    ['/lazy'],
  );

  it('judges roll-forward: the Pages Router sessions do not apply, and that is said, not counted as a gap', () => {
    const r = adaptScenario(getScenario('roll-forward'), appOnly);
    expect(r.gaps).toEqual([]);
    expect(r.notApplicable).toEqual([expect.stringContaining('no Pages Router page')]);
    expect(ofSession(r.scenario.steps, 'pages-a')).toEqual([]);
    expect(pathsOf(r.scenario.steps, 'app-a')).toContain('/lazy');
  });

  it('without a lazy page, a lazy step becomes a late visit of a page the tab has not loaded (its chunks are fetched after the deploy)', () => {
    const noLazy = profile([route('/', 'app'), route('/about', 'app'), route('/contact', 'app')]);
    const r = adaptScenario(getScenario('cached-404'), noLazy);
    expect(r.gaps).toEqual([]);
    expect(pathsOf(r.scenario.steps, 'app-a')).toEqual(['/', expect.stringMatching(/^\/(about|contact)$/)]);
    expect(r.mapping.some((m) => m.includes('a page not loaded yet fetches its chunks late'))).toBe(true);
  });

  it('stays inconclusive when every action of a tab opened before a deploy was left out (nothing can show skew)', () => {
    const rollForward = getScenario('roll-forward');
    const pagesTabsOnly = {
      ...rollForward,
      steps: rollForward.steps.filter((x) => !('session' in x) || x.session.startsWith('pages-')),
    };
    const r = adaptScenario(pagesTabsOnly, appOnly);
    expect(r.gaps).toEqual([expect.stringMatching(/^no step of a tab opened before a deploy could run.*no Pages Router page/)]);
    expect(r.notApplicable).toEqual([]);
  });

  it('probes only the public/ files the app serves at their own paths; none served is a gap, said once', () => {
    const some = adaptScenario(getScenario('public-files'), {
      ...appOnly,
      publicServed: ['/a.txt'],
      publicHidden: { '/b.txt': 'HTTP 307 → /en/b.txt' },
    });
    expect(some.gaps).toEqual([]);
    expect(
      some.scenario.steps.filter((x) => x.kind === 'probePublic').every((x) => x.kind === 'probePublic' && x.paths?.join() === '/a.txt'),
    ).toBe(true);
    expect(some.notApplicable).toContain('public/ files the app does not serve at their own paths were not probed: /b.txt');
    const none = adaptScenario(getScenario('public-files'), {
      ...appOnly,
      publicServed: [],
      publicHidden: { '/skew-version.txt': 'HTTP 307 → /en/skew-version.txt' },
    });
    expect(none.gaps).toEqual([
      'the app serves none of its public/ files at their own paths (/skew-version.txt: HTTP 307 → /en/skew-version.txt): nothing to judge on public files',
    ]);
    expect(none.scenario.steps.some((x) => x.kind === 'probePublic')).toBe(false);
  });

  it('judges build-id-pinning in every platform scenario on an app: its store and GC are keyed by BUILD_ID, which the app decides', () => {
    const retention = getScenario('retention-3');
    expect(retention.platform).toBe(true);
    expect(retention.checks).not.toContain('build-id-pinning');
    const r = adaptScenario(retention, FULL);
    expect(r.scenario.checks).toEqual([...retention.checks, 'build-id-pinning']);
    // Not judged at all (its Pages Router tabs cannot run on an App-Router-only app): no verdict on the store either.
    expect(adaptScenario(retention, appOnly).scenario.checks).toEqual(retention.checks);
    expect(r.mapping).toContain("build-id-pinning judged too: the platform's store and GC are keyed by BUILD_ID");
    expect(adaptScenario(getScenario('roll-forward'), appOnly).scenario.checks).toEqual(getScenario('roll-forward').checks);
  });

  it('stays inconclusive when a scenario without old tabs cannot open any of its sessions (a tab pinned to A on the Pages Router page)', () => {
    const r = adaptScenario(getScenario('rollback-canary-outside-window'), appOnly);
    expect(r.gaps).toEqual([expect.stringMatching(/^no session of this scenario can open on this app's pages.*no Pages Router page/)]);
    expect(r.scenario.checks).not.toContain('build-id-pinning');
    expect(adaptScenario(getScenario('rollback-canary-outside-window'), FULL).gaps).toEqual([]);
  });

  it("declares the server half's fixture-only scenarios not applicable to an app, and nothing else of the catalogue but the schema one", () => {
    expect(notApplicable(getScenario('server-action-after-deploy'))).toMatch(/fixture's own \/actions/);
    expect(notApplicable(getScenario('route-handler-pinned'))).toMatch(/not applicable to an app/);
    const na = CATALOGUE.filter((x) => notApplicable(x)).map((x) => x.name);
    expect(na).toContain('rollback-vs-forward-fix');
    expect(na).not.toContain('roll-forward');
    expect(na).not.toContain('cached-404');
  });
});

describe('adaptScenario on a Pages-Router-only app', () => {
  it('opens the fixture / sessions in the Pages Router', () => {
    const pagesOnly = profile([route('/', 'pages'), route('/help', 'pages'), route('/report', 'pages', 'ssr')], ['/report']);
    const { scenario, gaps } = adaptScenario(getScenario('roll-forward'), pagesOnly);
    expect(gaps).toEqual([]);
    const opens = scenario.steps.filter((s) => s.kind === 'openSession');
    expect(opens.every((s) => s.path === '/')).toBe(true);
    expect(pathsOf(scenario.steps, 'pages-a-ssr')).toEqual(['/', '/report']);
  });
});

describe('adaptScenario: what stands in for a fixture step', () => {
  it('declares a schema scenario not applicable and leaves its steps alone', () => {
    const s = getScenario('rollback-vs-forward-fix');
    expect(s.schema).toBeDefined();
    const r = adaptScenario(s, FULL);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]).toContain('not applicable');
    expect(r.scenario).toBe(s);
  });

  it('uses no route that was left out or never opened', () => {
    const p = profile(FULL_ROUTES, ['/lazy', '/report'], { '/about': 'left out: HTTP 404', '/help': 'left out: HTTP 404' });
    delete p.visited['/items/1'];
    const { scenario } = adaptScenario(getScenario('roll-forward'), p);
    const used = new Set(sessions(scenario.steps).flatMap((s) => pathsOf(scenario.steps, s)));
    expect(used.has('/about')).toBe(false);
    expect(used.has('/help')).toBe(false);
    expect(used.has('/items/1')).toBe(false);
    expect(pathsOf(scenario.steps, 'pages-a')[0]).toBe('/legacy');
  });

  it('reports a link to a kind of page the app lacks in the mapping', () => {
    const noDynamic = profile(
      FULL_ROUTES.filter((r) => r.kind !== 'dynamic'),
      ['/lazy', '/report'],
    );
    const { gaps, mapping } = adaptScenario(getScenario('roll-forward'), noDynamic);
    expect(gaps).toEqual([]);
    expect(mapping.some((m) => m.startsWith('link-item (dynamic page) → ') && m.includes('no unvisited dynamic App Router page'))).toBe(
      true,
    );
  });

  it('maps deploy visitDuring to the entry page (with basePath)', () => {
    const based = profile([route('/docs', 'app', 'static', '/'), route('/docs/about', 'app', 'static', '/about')], ['/docs/about']);
    const { scenario } = adaptScenario(getScenario('cached-404'), based);
    expect(scenario.steps.find((s) => s.kind === 'deploy' && s.version === 'B')).toEqual({
      kind: 'deploy',
      version: 'B',
      visitDuring: '/docs',
    });
    expect(scenario.steps.find((s) => s.kind === 'probe')).toMatchObject({ paths: ['/docs', '/docs'] });
    expect(pathsOf(scenario.steps, 'app-new')).toEqual(['/docs', '/docs/about']);
  });

  it('adapts every catalogue scenario that applies to apps (no stale session) to pages the app has', () => {
    const plain = CATALOGUE.filter((s) => !notApplicable(s) && !s.steps.some((x) => x.kind === 'openStaleSession'));
    expect(plain.length).toBeGreaterThan(10);
    for (const s of plain) {
      const r = adaptScenario(s, FULL);
      expect(r.scenario.name).toBe(s.name);
      for (const step of r.scenario.steps) {
        if (step.kind === 'openSession' || step.kind === 'visit')
          expect(
            FULL_ROUTES.map((x) => x.path),
            `${s.name}: ${step.path}`,
          ).toContain(step.path);
      }
    }
  });

  // A stale session follows the router of the session it copies; it is dropped with it.
  it('adapts the scenarios that open a stale session (keep-bad-static-15m, retention-*)', () => {
    const stale = CATALOGUE.filter((s) => s.steps.some((x) => x.kind === 'openStaleSession'));
    expect(stale.map((s) => s.name)).toContain('keep-bad-static-15m');
    for (const s of stale) {
      for (const p of [FULL, profile([route('/', 'app'), route('/lazy', 'app')], ['/lazy'])]) {
        const { scenario } = adaptScenario(s, p);
        const opened = new Set(
          scenario.steps.flatMap((x) => (x.kind === 'openSession' || x.kind === 'openStaleSession' ? [x.session] : [])),
        );
        for (const x of scenario.steps) {
          if (x.kind === 'openStaleSession') expect(opened.has(x.from), `${s.name}: ${x.session} from ${x.from}`).toBe(true);
          else if ('session' in x) expect(opened.has(x.session), `${s.name}: ${x.kind} ${x.session}`).toBe(true);
        }
      }
    }
  });
});

describe('skewableFiles', () => {
  const a = {
    assets: [
      { url: '/_next/static/chunks/main-aaa.js', kind: 'chunk' },
      { url: '/_next/static/chunks/shared.js', kind: 'chunk' },
      { url: '/_next/static/css/a.css', kind: 'css' },
      { url: '/_next/static/build-a/_buildManifest.js', kind: 'build-manifest' },
    ],
  };

  it('counts the files of A that B lacks, not the build manifest', () => {
    const b = {
      assets: [
        { url: '/_next/static/chunks/main-bbb.js' },
        { url: '/_next/static/chunks/shared.js' },
        { url: '/_next/static/build-b/_buildManifest.js' },
      ],
    };
    expect(skewableFiles(a, b)).toBe(2);
  });

  it('is 0 when A and B ship the same files', () => {
    expect(skewableFiles(a, { assets: a.assets.map(({ url }) => ({ url })) })).toBe(0);
    expect(skewableFiles({ assets: [] }, { assets: [] })).toBe(0);
  });
});
