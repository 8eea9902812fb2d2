import { HarnessError } from '../errors/harness-error.ts';
import type { Browser, BrowserContext, Page, Request, Response } from 'playwright';
import type { History } from '../core/history.ts';
import { ERROR_PAGE_TEXTS } from '../core/failures.ts';
import { waitFor } from '../io/wait.ts';

/** How long a user-visible outcome may take before we call it missing (it is a named wait). */
export interface SessionTimeouts {
  /** Page loads (goto, reload). */
  loadMs: number;
  /** Content that a click should bring (lazy result, dynamic component, next page). */
  contentMs: number;
}

export const DEFAULT_TIMEOUTS: SessionTimeouts = { loadMs: 15_000, contentMs: 4_000 };

const MARKER = '__skewMarker';
/** Set in a page left for the back/forward cache: `left`, then `restored` by a persisted pageshow. */
const BFCACHE_STATE = '__skewBfcache';

/** What going back found: the very page we left (from the back/forward cache), or a new load and why. */
export type BfcacheRestore = { restored: true } | { restored: false; url: string; explanations: string[]; notRestoredReasons: unknown };

export interface SessionOptions {
  timeouts?: SessionTimeouts;
  /** Cookies the browser already holds (a pinned visitor). */
  cookies?: { name: string; value: string; url: string }[];
  /** Record a Playwright trace (kept only when `close` is given a path). */
  trace?: boolean;
}

/** A browser context and its tab, ready for a session's first request (Session.prepare). */
export interface PreparedTab {
  context: BrowserContext;
  page: Page;
  trace: boolean;
}

export interface StaleDocument {
  url: string;
  contentType: string;
  body: Buffer;
}
/** How long content may still appear after one of its assets failed. */
const FAILURE_GRACE_MS = 1_000;
/** Reading the page (version, marker) never takes longer than this; past it, "unknown". */
const EVAL_TIMEOUT_MS = 3_000;
/**
 * Document loads the tab may make on its own during one user action before skew stops it: a
 * reload loop runs until the tab closes otherwise, and its history would grow without bound.
 */
export const MAX_UNASKED_LOADS = 10;

/**
 * One browser user: an isolated context with one tab. Everything it sees is recorded into the
 * history; it only acts and records, it never judges. A hard reload is detected the way a user
 * would lose state: a window marker set after each load we asked for is gone, together with a
 * `load` event we did not cause.
 */
export class Session {
  private expectingLoad = false;
  /** A Playwright trace is being recorded for this session's browser context. */
  private tracing = false;
  private loads = 0;
  private markerSeq = 0;
  private currentStep = 'open';
  /** Set while an action waits: called when one of the page's static assets fails. */
  private onStaticFailure: (() => void) | undefined;
  /** A hard reload already recorded during the current action (from the load event). */
  private reloadRecorded = false;
  /** Unasked document loads during `loopStep`; past MAX_UNASKED_LOADS the tab's navigations are stopped. */
  private loopStep = '';
  private loopLoads = 0;
  /** Requests under /_next in flight, and when the last one started or ended (route settled). */
  private inflight = 0;
  private lastNextActivity = 0;
  /**
   * Maps a deployment id read from the page to a version letter, for apps that do not print
   * their version (a user's app): set by the step that opens the session.
   */
  versionOfDeployment: (deploymentId: string) => string | null = () => null;
  /**
   * Build ids of an app's builds made without a deployment id (their releases are named by
   * them): such a page carries its build id instead (`__NEXT_DATA__`, the RSC payload).
   */
  buildIdsToFind: readonly string[] = [];
  /** The HTML document this tab last loaded, as the browser's cache would still hold it. */
  private lastDocument: { url: string; contentType: string; body: Promise<Buffer | null> } | undefined;

  private constructor(
    readonly name: string,
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly history: History,
    private readonly timeouts: SessionTimeouts,
    /** False for a second tab: the browser (its cookies) belongs to the first one. */
    private readonly ownsContext = true,
  ) {}

  /** Another tab of the same browser as `of`: same cookies, same cache. */
  static async openTab(of: Session, name: string): Promise<Session> {
    const page = await of.context.newPage();
    const s = new Session(name, of.context, page, of.history, of.timeouts, false);
    s.versionOfDeployment = of.versionOfDeployment;
    s.buildIdsToFind = of.buildIdsToFind;
    s.record();
    return s;
  }

  /** Network off (every request fails at once) or back on, for the whole browser context. */
  async setOffline(offline: boolean): Promise<void> {
    await this.context.setOffline(offline);
  }

  /** The browser's cookies for the page's site (what pins it, for reports). */
  async cookie(name: string): Promise<string | undefined> {
    return (await this.context.cookies(this.page.url())).find((c) => c.name === name)?.value;
  }

  static async open(browser: Browser, name: string, history: History, opts: SessionOptions = {}): Promise<Session> {
    return Session.fromPrepared(await Session.prepare(browser, name, opts), name, history, opts.timeouts);
  }

  /**
   * A fresh browser context with its empty tab, its cookies and its trace started: everything a
   * session needs before its first request, so it can be made ahead of the step that opens it
   * (nothing reaches the network until `goto`).
   */
  static async prepare(browser: Browser, name: string, opts: Pick<SessionOptions, 'cookies' | 'trace'> = {}): Promise<PreparedTab> {
    const { cookies = [], trace = false } = opts;
    const context = await browser.newContext({ serviceWorkers: 'block' });
    try {
      if (cookies.length) await context.addCookies(cookies);
      // Recorded from the start so a failing session's trace shows how it got there.
      if (trace) await context.tracing.start({ screenshots: true, snapshots: true, title: name });
      return { context, page: await context.newPage(), trace };
    } catch (e) {
      await context.close().catch(() => {});
      throw e;
    }
  }

  /** The session of a prepared tab: recording starts here, before its first request. */
  static fromPrepared(p: PreparedTab, name: string, history: History, timeouts: SessionTimeouts = DEFAULT_TIMEOUTS): Session {
    const s = new Session(name, p.context, p.page, history, timeouts);
    s.tracing = p.trace;
    s.record();
    return s;
  }

  /** Loads a URL as a user typing it, and returns the version the page shows. */
  async goto(url: string): Promise<{ version: string | null; deploymentId: string | null }> {
    this.currentStep = `goto ${url}`;
    this.expectingLoad = true;
    // A document cut off after its headers (a reset origin) never fires `load`: stop waiting
    // when it fails (recorded as request-failed), instead of running into the load timeout.
    let off = () => {};
    const cutOff = new Promise<void>((resolve) => {
      const onFailed = (r: Request) => {
        if (r.isNavigationRequest() && r.frame() === this.page.mainFrame())
          void r.response().then(
            (res) => res && resolve(),
            () => {},
          );
      };
      this.page.on('requestfailed', onFailed);
      off = () => this.page.off('requestfailed', onFailed);
    });
    try {
      const loaded = this.page.goto(url, { waitUntil: 'load', timeout: this.timeouts.loadMs });
      loaded.catch(() => {}); // when cutOff wins, its later timeout is not an error
      await Promise.race([loaded, cutOff]);
    } finally {
      off();
      this.expectingLoad = false;
    }
    await this.setMarker();
    return { version: await this.version(), deploymentId: await this.deploymentId() };
  }

  async reload(): Promise<void> {
    this.currentStep = 'reload';
    this.expectingLoad = true;
    try {
      await this.page.reload({ waitUntil: 'load', timeout: this.timeouts.loadMs });
    } finally {
      this.expectingLoad = false;
    }
    await this.setMarker();
  }

  /**
   * Follows a link out to `url` (another document): Chromium keeps the page we leave, with its
   * JS heap and the build in it, in its back/forward cache, when the browser allows it (see
   * launchBrowser's `bfcache`). A `pageshow` listener put in first is how `restoreFromBfcache`
   * tells that very document coming back from a new load of the same URL.
   */
  async leaveForBfcache(url: string): Promise<void> {
    this.currentStep = `leave for ${url}`;
    await this.page.evaluate((k) => {
      const w = window as unknown as Record<string, string>;
      w[k] = 'left';
      window.addEventListener('pageshow', (e) => {
        if (e.persisted) w[k] = 'restored';
      });
    }, BFCACHE_STATE);
    this.expectingLoad = true;
    try {
      await this.page.goto(url, { waitUntil: 'load', timeout: this.timeouts.loadMs });
    } finally {
      this.expectingLoad = false;
    }
  }

  /**
   * The back button, after `leaveForBfcache`. A restore fires no `load` (so Playwright's goBack
   * waits only for the commit) and keeps the marker: nothing for the hard-reload detector. A
   * new load instead is one we asked for: it is awaited, marked, and returned with Chromium's
   * reasons (CDP's explanations, the page's notRestoredReasons) for the caller to report.
   */
  async restoreFromBfcache(): Promise<BfcacheRestore> {
    this.currentStep = 'back to the page left for the back/forward cache';
    const cdp = await this.context.newCDPSession(this.page);
    const explanations: string[] = [];
    cdp.on('Page.backForwardCacheNotUsed', (e) => void explanations.push(...e.notRestoredExplanations.map((x) => x.reason)));
    await cdp.send('Page.enable');
    this.expectingLoad = true;
    try {
      await this.page.goBack({ waitUntil: 'commit', timeout: this.timeouts.loadMs });
      // The restored page says so once its pageshow ran; a new document has no state at all.
      const state = await waitFor(
        'the page back from history (restored from the back/forward cache, or loaded anew)',
        async () => {
          const v = await this.safeEval((k) => (window as unknown as Record<string, string | undefined>)[k] ?? 'new', BFCACHE_STATE);
          return v === 'restored' || v === 'new' ? v : undefined;
        },
        { timeoutMs: this.timeouts.loadMs },
      );
      if (state === 'restored') return { restored: true };
      await this.page.waitForLoadState('load', { timeout: this.timeouts.loadMs });
      // CDP does not order its explanation after the navigation: give it a moment, not forever.
      await waitFor("Chromium's reasons for not using the back/forward cache", () => explanations.length > 0, { timeoutMs: 1_000 }).catch(
        () => {},
      );
      const notRestoredReasons = await this.safeEval(() => {
        const nav = performance.getEntriesByType('navigation')[0] as
          | (PerformanceNavigationTiming & { notRestoredReasons?: unknown })
          | undefined;
        return JSON.parse(JSON.stringify(nav?.notRestoredReasons ?? null)) as unknown;
      });
      await this.setMarker();
      return { restored: false, url: this.page.url(), explanations: [...new Set(explanations)], notRestoredReasons };
    } finally {
      this.expectingLoad = false;
      await cdp.detach().catch(() => {});
    }
  }

  /** The HTML document this tab loaded last, exactly as it arrived. */
  async lastHtml(): Promise<StaleDocument> {
    const doc = this.lastDocument;
    const body = doc && (await doc.body);
    if (!doc || !body)
      throw new HarnessError(
        'INVALID_SCENARIO',
        `session ${this.name} has loaded no HTML document yet`,
        'open a stale session from a session that has loaded a page (its openSession step came first)',
      );
    return { url: doc.url, contentType: doc.contentType, body };
  }

  /**
   * Loads `doc.url` as a visitor whose CDN node still holds `doc` (the purge has not reached
   * it): the document is answered with that copy, every asset it references is fetched from
   * the edge, with an empty browser cache.
   */
  async gotoStale(doc: StaleDocument): Promise<{ version: string | null; deploymentId: string | null }> {
    await this.page.route(
      (u) => u.href === doc.url,
      (route) =>
        route.fulfill({
          status: 200,
          contentType: doc.contentType,
          headers: { 'x-skew-served-by': 'a CDN node the purge has not reached (simulated)' },
          body: doc.body,
        }),
      { times: 1 },
    );
    try {
      return await this.goto(doc.url);
    } finally {
      await this.page.unrouteAll({ behavior: 'ignoreErrors' });
    }
  }

  /**
   * Clicks `data-testid=target` and waits (named, bounded) for `data-testid=expect` to show.
   * Records the outcome: ok, missing (e.g. a stuck next/dynamic, which fails silently in the
   * Pages Router), or error-page (Next's global error page replaced the content).
   */
  async act(action: string, target: string, expect: string | { selector: string; what: string }): Promise<'ok' | 'missing' | 'error-page'> {
    this.currentStep = `${action} ${target}`;
    this.reloadRecorded = false;
    const started = Date.now();
    // A control that is not there (the page broke, or was replaced) is an outcome, not a crash.
    const broken = (await this.brokenPageOutcome()) === 'error-page';
    // Listen for failing assets before the click: a fast 404 can arrive before the click returns.
    const failedAsset = this.assetFailure();
    const clicked =
      !broken &&
      (await this.page
        .getByTestId(target)
        .click({ timeout: this.timeouts.contentMs })
        .then(
          () => true,
          () => false,
        ));
    const outcome = clicked ? await this.waitForContent(expect, failedAsset.promise) : await this.brokenPageOutcome();
    failedAsset.cancel();
    const awaited = typeof expect === 'string' ? `[data-testid="${expect}"]` : expect.what;
    const detail = clicked
      ? `${awaited} did not appear (waited ${Date.now() - started} ms)`
      : `[data-testid="${target}"] was not on the page to click (${outcome === 'error-page' ? "Next's error page is showing" : 'page content is gone'})`;
    return this.recordAction(action, target, outcome, started, outcome === 'ok' && clicked ? undefined : detail);
  }

  /** An attribute of the first element with `data-testid=testId`, null when there is none. */
  async attribute(testId: string, name: string): Promise<string | null> {
    return this.safeEval(([t, n]) => document.querySelector(`[data-testid="${t}"]`)?.getAttribute(n) ?? null, [testId, name] as const);
  }

  /**
   * The user waits for what the page shows by itself (fresh data after a refresh): a named,
   * bounded wait for `data-testid=expect`, recorded as an action.
   */
  async waitFor(expect: string): Promise<'ok' | 'missing' | 'error-page'> {
    this.currentStep = `wait for ${expect}`;
    this.reloadRecorded = false;
    const started = Date.now();
    const bounded = this.assetFailure(); // settles 'missing' after the content timeout at the latest
    const outcome = await this.waitForContent(expect, bounded.promise);
    bounded.cancel();
    const detail = outcome === 'ok' ? undefined : `[data-testid="${expect}"] did not appear (waited ${Date.now() - started} ms)`;
    return this.recordAction('wait', expect, outcome, started, detail);
  }

  /** The version the page shows (the fixture prints it), else the one its deployment id names. */
  async version(): Promise<string | null> {
    const shown = await this.safeEval(() => document.querySelector('[data-testid="version"]')?.textContent?.trim() ?? null);
    if (shown) return shown;
    const id = await this.deploymentId();
    return id ? this.versionOfDeployment(id) : null;
  }

  /** App Router pages carry it on <html>; Pages Router pages in the ?dpl= of their scripts. */
  async deploymentId(): Promise<string | null> {
    const id = await this.safeEval(
      () =>
        document.documentElement.getAttribute('data-dpl-id') ??
        [...document.scripts]
          .map((s) => {
            try {
              return new URL(s.src).searchParams.get('dpl');
            } catch {
              return null;
            }
          })
          .find((d) => d) ??
        null,
    );
    if (id || !this.buildIdsToFind.length) return id;
    // Without a deployment id a page names its build by its build id: Pages Router in
    // __NEXT_DATA__, App Router in the RSC payload its scripts carry.
    return this.safeEval(
      (ids) => {
        const data = (window as unknown as { __NEXT_DATA__?: { buildId?: string } }).__NEXT_DATA__?.buildId;
        if (data && ids.includes(data)) return data;
        const inline = [...document.scripts].map((s) => s.textContent ?? '').join('\n');
        return ids.find((b) => inline.includes(b)) ?? null;
      },
      [...this.buildIdsToFind],
    );
  }

  /**
   * A client-side navigation to `path`, as a Link without prefetch does it: through Next's
   * router (`window.next.router.push`), or by clicking a link to it when the router is not
   * exposed. Waits (named, bounded) until the URL is `path` and no /_next request has been in
   * flight for a moment: the route's chunks and the lazy chunks it loads on mount are in.
   */
  async visit(path: string, basePath = ''): Promise<'ok' | 'missing' | 'error-page'> {
    this.currentStep = `visit ${path}`;
    this.reloadRecorded = false;
    const started = Date.now();
    const broken = (await this.brokenPageOutcome()) === 'error-page';
    const failedAsset = this.assetFailure();
    // The router adds the basePath itself; a link's href already has it.
    const routed = basePath && path.startsWith(basePath) ? path.slice(basePath.length) || '/' : path;
    const how = broken
      ? null
      : await this.safeEval(
          ([p, r0]) => {
            const r = (window as unknown as { next?: { router?: { push?: (u: string) => unknown } } }).next?.router;
            if (typeof r?.push === 'function') {
              void Promise.resolve(r.push(r0)).catch(() => {});
              return 'router';
            }
            const a = [...document.querySelectorAll('a[href]')].find((x) => new URL((x as HTMLAnchorElement).href).pathname === p) as
              | HTMLAnchorElement
              | undefined;
            if (!a) return null;
            a.click();
            return 'link';
          },
          [path, routed] as const,
        );
    const arrived = how ? this.settledAt(path) : Promise.resolve('missing' as const);
    const outcome = how
      ? await Promise.any([arrived, this.errorPageShown(), failedAsset.promise]).catch(() => 'missing' as const)
      : await this.brokenPageOutcome();
    failedAsset.cancel();
    const detail = !how
      ? broken
        ? "Next's error page is showing: nothing to navigate from"
        : `no client-side router (window.next.router) and no link to ${path} on the page`
      : `the page did not settle at ${path} (at ${this.pathNow()} after ${Date.now() - started} ms)`;
    return this.recordAction('visit', path, outcome, started, outcome === 'ok' ? undefined : detail);
  }

  /**
   * Brings a link with Next's default prefetch to where Next prefetches it: `reveal` clicks the
   * control that puts it on the page (`reveal-<link>`), `scroll` scrolls it into view, `hover`
   * moves the pointer over it. Waits (named, bounded) until /_next has been quiet for a moment:
   * the prefetch is in Next's cache, or was refused.
   */
  async prefetch(link: string, how: 'reveal' | 'scroll' | 'hover'): Promise<'ok' | 'missing' | 'error-page'> {
    this.currentStep = `prefetch ${link}`;
    this.reloadRecorded = false;
    const started = Date.now();
    const target = this.page.getByTestId(link);
    const timeout = this.timeouts.contentMs;
    const reached = await (async () => {
      if (how === 'reveal') await this.page.getByTestId(`reveal-${link}`).click({ timeout });
      if (how === 'hover') await target.hover({ timeout });
      else await target.scrollIntoViewIfNeeded({ timeout });
    })().then(
      () => true,
      () => false,
    );
    const outcome = reached
      ? await this.quiet().then(
          () => 'ok' as const,
          () => 'missing' as const,
        )
      : await this.brokenPageOutcome();
    const detail = reached ? '/_next requests did not settle' : `[data-testid="${link}"] could not be brought into view`;
    // What a prefetch shows is the page it started on: no parts to record.
    return this.recordAction(`prefetch:${how}`, link, outcome, started, outcome === 'ok' ? undefined : detail, { parts: false });
  }

  /**
   * Records how a user action ended (with the version and the parts the page shows), then checks
   * the window marker: a document replaced during the action is a hard reload.
   */
  private async recordAction(
    action: string,
    target: string,
    outcome: 'ok' | 'missing' | 'error-page',
    started: number,
    detail: string | undefined,
    { parts = true } = {},
  ): Promise<'ok' | 'missing' | 'error-page'> {
    this.history.append({
      type: 'action',
      session: this.name,
      action,
      target,
      outcome,
      version: await this.version(),
      waitedMs: Date.now() - started,
      ...(parts ? await this.shownParts() : {}),
      ...(detail === undefined ? {} : { detail }),
    });
    await this.checkMarker();
    return outcome;
  }

  private pathNow(): string {
    try {
      return new URL(this.page.url()).pathname;
    } catch {
      return this.page.url();
    }
  }

  /** Resolves 'ok' once the URL is `path` and /_next has been quiet for a moment; else never. */
  private settledAt(path: string): Promise<'ok'> {
    return this.quiet(`the page to settle at ${path}`, () => this.pathNow() === path).then(() => 'ok' as const);
  }

  /** Resolves once no /_next request has been in flight for a moment (and `also` holds). */
  private quiet(what = 'no /_next request in flight for 300 ms', also: () => boolean = () => true): Promise<void> {
    const quietMs = 300;
    return waitFor(what, () => also() && this.inflight === 0 && Date.now() - this.lastNextActivity >= quietMs, {
      timeoutMs: this.timeouts.contentMs,
      intervalMs: 50,
    }).then(() => {});
  }

  private errorPageShown(): Promise<'error-page'> {
    return this.page
      .getByText(new RegExp(ERROR_PAGE_TEXTS.map(escapeRe).join('|')))
      .first()
      .waitFor({ state: 'visible', timeout: this.timeouts.contentMs })
      .then(() => 'error-page' as const);
  }

  /**
   * Closes the tab (and its browser context when it owns it). With `tracePath`, the Playwright
   * trace recorded since the session opened is written there (open it with
   * `npx playwright show-trace`); without, it is dropped. Returns whether a trace was written.
   */
  async close(tracePath?: string): Promise<boolean> {
    let saved = false;
    if (this.tracing) {
      this.tracing = false;
      saved = await this.context.tracing.stop(tracePath ? { path: tracePath } : {}).then(
        () => Boolean(tracePath),
        () => false,
      );
    }
    await (this.ownsContext ? this.context.close() : this.page.close()).catch(() => {});
    return saved;
  }

  /**
   * Resolves `missing` a short grace after one of the page's `/_next/static` requests fails:
   * the page may still show the content (a retry, a fallback), but a stuck next/dynamic should
   * not cost the full content timeout. Settles at the latest after that timeout, so a race on
   * it always ends.
   */
  private assetFailure(): { promise: Promise<'missing'>; cancel(): void } {
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<'missing'>((resolve) => {
      this.onStaticFailure = () => {
        clearTimeout(timer);
        timer = setTimeout(() => resolve('missing'), FAILURE_GRACE_MS);
      };
      timer = setTimeout(() => resolve('missing'), this.timeouts.contentMs + 100);
    });
    return {
      promise,
      cancel: () => {
        clearTimeout(timer);
        this.onStaticFailure = undefined;
      },
    };
  }

  /**
   * The build each part of the page comes from, where the app says so (`data-skew-version` and
   * `data-skew-part` on an element; the fixture marks the tab's own JavaScript `tab`, the
   * server-rendered page `page`, each Server Action result by its name). Absent when none is marked.
   */
  async shownParts(): Promise<{ shown?: Record<string, string> }> {
    const parts = await this.safeEval(() =>
      [...document.querySelectorAll<HTMLElement>('[data-skew-version]')].map(
        (e) => [e.dataset.skewPart ?? e.dataset.testid ?? e.tagName.toLowerCase(), e.dataset.skewVersion ?? ''] as const,
      ),
    );
    if (!parts?.length) return {};
    const shown: Record<string, string> = {};
    for (const [part, version] of parts) shown[part] ??= version;
    return { shown };
  }

  private async waitForContent(
    expect: string | { selector: string },
    failedAsset: Promise<'missing'>,
  ): Promise<'ok' | 'missing' | 'error-page'> {
    const content = (typeof expect === 'string' ? this.page.getByTestId(expect) : this.page.locator(expect.selector))
      .first()
      .waitFor({ state: 'visible', timeout: this.timeouts.contentMs })
      .then(() => 'ok' as const);
    const errorPage = this.errorPageShown();
    // Content or the error page win; if both time out, failedAsset still settles (bounded).
    return Promise.any([content, errorPage, failedAsset]).catch(() => 'missing' as const);
  }

  private async brokenPageOutcome(): Promise<'missing' | 'error-page'> {
    // innerText, not textContent: what the user sees on the page, not the scripts' source.
    // biome-ignore lint/performance/useDomNodeTextContent: visible text is the point
    const text = (await this.safeEval(() => document.body?.innerText ?? '')) ?? '';
    return ERROR_PAGE_TEXTS.some((t) => text.includes(t)) ? 'error-page' : 'missing';
  }

  private async setMarker(): Promise<void> {
    const id = `${this.name}-${++this.markerSeq}`;
    // A page that navigates again at once (a reload loop) has no context to mark: its next
    // document load is recorded by the load listener, and the marker set after it.
    await this.page
      .evaluate(([k, v]) => ((window as unknown as Record<string, string>)[k] = v), [MARKER, id] as const)
      .catch((e: unknown) => {
        if (!/Execution context was destroyed|navigating|Target page, context or browser has been closed/i.test(String(e))) throw e;
      });
  }

  /** A marker gone after an action means the document was replaced: a hard reload. */
  private async checkMarker(): Promise<void> {
    const present = await this.safeEval((k) => (window as unknown as Record<string, unknown>)[k] !== undefined, MARKER);
    if (present === false && !this.reloadRecorded) {
      this.history.append({
        type: 'hard-reload',
        session: this.name,
        url: this.page.url(),
        version: await this.version(),
        during: this.currentStep,
      });
      await this.setMarker();
    }
  }

  /** Aborts every further document load of this tab (a reload loop) and records that skew did. */
  private async stopReloadLoop(during: string): Promise<void> {
    this.history.append({ type: 'reload-loop-stopped', session: this.name, loads: MAX_UNASKED_LOADS, during });
    await this.page
      .route(
        () => true,
        (route, request) => (request.isNavigationRequest() ? route.abort('aborted') : route.continue()),
      )
      .catch(() => {});
  }

  private async safeEval<R, A = undefined>(fn: (arg: A) => R, arg?: A): Promise<R | null> {
    try {
      // Bounded: a page stuck in a script or mid-navigation must not stall the run.
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<null>((r) => (timer = setTimeout(() => r(null), EVAL_TIMEOUT_MS)));
      return await Promise.race([this.page.evaluate(fn as (arg: unknown) => R, arg), stalled]).finally(() => clearTimeout(timer));
    } catch {
      return null; // navigating: the caller sees "unknown", not a crash
    }
  }

  private record(): void {
    const h = this.history;
    const s = this.name;
    const underNext = (r: Request) => new URL(r.url()).pathname.includes('/_next/');
    const settle = (r: Request) => {
      if (!underNext(r)) return;
      this.inflight = Math.max(0, this.inflight - 1);
      this.lastNextActivity = Date.now();
    };
    this.page.on('requestfinished', settle);
    this.page.on('requestfailed', settle);
    this.page.on('request', (r: Request) => {
      if (underNext(r)) {
        this.inflight++;
        this.lastNextActivity = Date.now();
      }
      // What pins it to a build: ?dpl= on assets, x-deployment-id on RSC and data requests.
      const hd = r.headers();
      const pin = new URL(r.url()).searchParams.get('dpl') ?? hd['x-deployment-id'];
      h.append({
        type: 'request',
        session: s,
        url: r.url(),
        resource: r.resourceType(),
        method: r.method(),
        ...(hd.rsc === '1' ? { rsc: true as const } : {}),
        ...(hd['next-action'] ? { serverAction: hd['next-action'] } : {}),
        ...(hd['next-router-prefetch'] === '1' || hd.purpose === 'prefetch' ? { prefetch: true as const } : {}),
        ...(pin ? { pin } : {}),
      });
    });
    this.page.on('response', (r: Response) => {
      const hd = r.headers();
      const asked = r.request().headers();
      if (
        r.request().isNavigationRequest() &&
        r.frame() === this.page.mainFrame() &&
        r.status() === 200 &&
        (hd['content-type'] ?? '').includes('text/html')
      ) {
        // Read now, while the response is alive; only a stale copy of it (gotoStale) uses it.
        const body = r.body().catch(() => null);
        this.lastDocument = { url: r.url(), contentType: hd['content-type']!, body };
      }
      if (r.status() >= 400 && new URL(r.url()).pathname.includes('/_next/static/')) this.onStaticFailure?.();
      h.append({
        type: 'response',
        session: s,
        url: r.url(),
        resource: r.request().resourceType(),
        status: r.status(),
        cache: hd['cf-cache-status'] ?? null,
        age: hd.age ?? null,
        deployment: hd['x-nextjs-deployment-id'] ?? null,
        ...(asked.rsc === '1' ? { rsc: true as const } : {}),
        ...(asked['next-action'] ? { serverAction: true as const } : {}),
        ...(hd['x-nextjs-action-not-found'] === '1' ? { actionNotFound: true as const } : {}),
      });
    });
    this.page.on('requestfailed', (r: Request) => {
      if (new URL(r.url()).pathname.includes('/_next/static/')) this.onStaticFailure?.();
    });
    this.page.on('requestfailed', (r: Request) =>
      h.append({ type: 'request-failed', session: s, url: r.url(), resource: r.resourceType(), error: r.failure()?.errorText ?? 'failed' }),
    );
    this.page.on('pageerror', (e: Error) => h.append({ type: 'pageerror', session: s, message: `${e.name}: ${e.message}` }));
    this.page.on('console', (m) => {
      if (m.type() === 'error') h.append({ type: 'console-error', session: s, message: m.text() });
    });
    this.page.on('framenavigated', (f) => {
      if (f === this.page.mainFrame()) h.append({ type: 'navigation', session: s, url: f.url() });
    });
    this.page.on('load', () => {
      this.loads++;
      // A load we did not ask for is the browser replacing the document: record it now, with
      // the URL, even if the marker check after the action would also catch it.
      if (!this.expectingLoad && this.loads > 1) {
        this.reloadRecorded = true;
        const during = this.currentStep;
        if (during !== this.loopStep) [this.loopStep, this.loopLoads] = [during, 0];
        if (++this.loopLoads > MAX_UNASKED_LOADS) return;
        if (this.loopLoads === MAX_UNASKED_LOADS) void this.stopReloadLoop(during);
        void this.version()
          .then((version) => {
            h.append({ type: 'hard-reload', session: s, url: this.page.url(), version, during });
            return this.setMarker();
          })
          .catch(() => {});
      }
    });
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
