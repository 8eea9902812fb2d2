import { z } from 'zod';
import { type PreparedTab, Session } from '../browser/session.ts';
import { DEPLOYMENT_COOKIE } from '../cdn/nginx-config.ts';
import { buildOf, sessionOf, type StepContext, versionOfDeployment, type StepKind } from './step.ts';
import { HarnessError } from '../errors/harness-error.ts';

const schema = z.object({
  kind: z.literal('openSession'),
  session: z.string().min(1),
  path: z.string().startsWith('/'),
  /**
   * Pins the browser to a version with the platform's deployment cookie (as a platform does
   * once a visitor got a build), instead of letting the traffic split choose.
   */
  pin: z.string().min(1).optional(),
  /** Opens a new tab in the browser of this open session (shared cookies) instead of a new browser. */
  sameBrowserAs: z.string().min(1).optional(),
  /** The edge location (PoP) this visitor's requests go to (default: the first). */
  location: z.string().min(1).optional(),
  /**
   * The version this visitor must get, whatever the deployer did: the scenario knows that
   * release is healthy (slow, not broken), so a deployer that refused it is wrong.
   */
  mustSee: z.string().min(1).optional(),
});
export type OpenSessionStep = z.infer<typeof schema>;

/** A new user arrives: a fresh browser context loads a page through the edge. */
export const openSession: StepKind<OpenSessionStep> = {
  kind: 'openSession',
  schema,
  label: (s) =>
    `open ${s.session} at ${s.path}${s.location ? ` via ${s.location}` : ''}${s.pin ? ` pinned to ${s.pin}` : ''}${s.mustSee ? ` (must see ${s.mustSee})` : ''}${s.sameBrowserAs ? ` in ${s.sameBrowserAs}'s browser` : ''}`,
  async run(ctx, s) {
    if (ctx.sessions.has(s.session))
      throw new HarnessError(
        'INVALID_SCENARIO',
        `session "${s.session}" is already open`,
        'give each openSession step its own session name',
      );
    const url = urlOf(ctx, s);
    if (s.sameBrowserAs && s.pin)
      throw new HarnessError(
        'INVALID_SCENARIO',
        'openSession: pin and sameBrowserAs exclude each other',
        "a tab shares its browser's cookies: pin the first session, or open the second one in its own browser",
      );
    const session = s.sameBrowserAs
      ? await Session.openTab(sessionOf(ctx, s.sameBrowserAs), s.session)
      : Session.fromPrepared(await takePrepared(ctx, s), s.session, ctx.history, ctx.timeouts);
    // A user's app prints no version: its deployment id names it. The fixture's pages print theirs,
    // and a page without it (a 500) must not count as showing a version.
    if (Object.values(ctx.builds)[0]?.app) {
      session.versionOfDeployment = (id) => versionOfDeployment(ctx.builds, id) ?? null;
      session.buildIdsToFind = Object.values(ctx.builds)
        .filter((b) => b.withDeploymentId === false)
        .map((b) => b.buildId);
    }
    ctx.sessions.set(s.session, session);
    // A browser that already holds a deployment cookie is pinned by it, in every tab.
    const held = s.sameBrowserAs ? await sessionOf(ctx, s.sameBrowserAs).cookie(DEPLOYMENT_COOKIE) : undefined;
    const seen = await session.goto(url);
    // A version named by the scenario, as the page will show it: in an A→A control every
    // version is A's build, so "must see B" means "must see B's build", which shows A.
    const shown = (v: string | undefined) => v && (versionOfDeployment(ctx.builds, buildOf(ctx, v).deploymentId) ?? v);
    const expectVersion =
      shown(s.mustSee) || shown(s.pin) || versionOfDeployment(ctx.builds, held) || versionOfDeployment(ctx.builds, ctx.stack.current);
    const pinnedBy = s.mustSee
      ? `the scenario: ${s.mustSee} is healthy and must be live`
      : s.pin
        ? `a ${DEPLOYMENT_COOKIE} cookie for ${s.pin}`
        : held
          ? `the ${DEPLOYMENT_COOKIE} cookie it shares with ${s.sameBrowserAs} (${versionOfDeployment(ctx.builds, held) ?? held})`
          : undefined;
    ctx.history.append({
      type: 'session-open',
      session: s.session,
      url,
      version: seen.version,
      deploymentId: seen.deploymentId,
      ...(expectVersion ? { expectVersion } : {}),
      ...(pinnedBy ? { pinnedBy } : {}),
      ...(s.location ? { location: s.location } : {}),
    });
  },
};

function urlOf(ctx: StepContext, s: OpenSessionStep): string {
  return new URL(s.path, ctx.stack.edgeAt(s.location).url).toString();
}

/** A new browser context and tab for the session, with its pin cookie and trace. */
async function prepare(ctx: StepContext, s: OpenSessionStep): Promise<PreparedTab> {
  const pinned = s.pin === undefined ? undefined : buildOf(ctx, s.pin).deploymentId;
  const cookies = pinned ? [{ name: DEPLOYMENT_COOKIE, value: pinned, url: urlOf(ctx, s) }] : [];
  return Session.prepare(await ctx.browser(), s.session, { cookies, trace: ctx.traces });
}

/** The tab prepared ahead for this step, else (none, or its preparation failed) one made now. */
async function takePrepared(ctx: StepContext, s: OpenSessionStep): Promise<PreparedTab> {
  const ahead = ctx.preparedTabs.get(s.session);
  ctx.preparedTabs.delete(s.session);
  return (ahead && (await ahead.catch(() => undefined))) ?? prepare(ctx, s);
}

/** How far ahead tabs are prepared, and how many may wait at once (each is a renderer process). */
const LOOKAHEAD_STEPS = 8;
const MAX_PREPARED = 4;

/**
 * Opens the browser contexts of the openSession steps coming next, in parallel and while the
 * current step runs: a context and its blank tab cost ~0.2 s each and make no request, so the
 * step itself only pays the page load, in the scenario's order. A step that never comes leaves
 * its tab for closeSessions.
 */
export function prepareAhead(ctx: StepContext, steps: readonly { kind: string }[], from: number): void {
  for (const step of steps.slice(from, from + LOOKAHEAD_STEPS)) {
    if (ctx.preparedTabs.size >= MAX_PREPARED) return;
    if (step.kind !== 'openSession') return;
    const s = step as unknown as OpenSessionStep;
    if (s.sameBrowserAs || ctx.sessions.has(s.session) || ctx.preparedTabs.has(s.session)) continue;
    const p = prepare(ctx, s);
    p.catch(() => {}); // a failed preparation is retried by the step itself
    ctx.preparedTabs.set(s.session, p);
  }
}
