import { z } from 'zod';
import { Session } from '../browser/session.ts';
import { sessionOf, versionOfDeployment, type StepKind } from './step.ts';
import { HarnessError } from '../errors/harness-error.ts';

const schema = z.object({
  kind: z.literal('openStaleSession'),
  session: z.string().min(1),
  /** The open session whose last HTML document the stale CDN node still holds. */
  from: z.string().min(1),
});
export type OpenStaleSessionStep = z.infer<typeof schema>;

/**
 * A new visitor reaches a CDN node the purge has not reached yet ("if a user reloads their tab
 * before the CDN purge propagates … the still-cached bad HTML … then requests the bad buildId
 * manifest"): a fresh browser gets the HTML `from` received earlier, and fetches everything
 * that HTML references from the edge.
 */
export const openStaleSession: StepKind<OpenStaleSessionStep> = {
  kind: 'openStaleSession',
  schema,
  label: (s) => `open ${s.session} with ${s.from}'s HTML (a CDN node the purge has not reached)`,
  async run(ctx, s) {
    if (ctx.sessions.has(s.session))
      throw new HarnessError(
        'INVALID_SCENARIO',
        `session "${s.session}" is already open`,
        'give each openSession step its own session name',
      );
    const doc = await sessionOf(ctx, s.from).lastHtml();
    const session = await Session.open(await ctx.browser(), s.session, ctx.history, { timeouts: ctx.timeouts, trace: ctx.traces });
    // A user's app prints no version: its deployment id names it. The fixture's pages print theirs,
    // and a page without it (a 500) must not count as showing a version.
    if (Object.values(ctx.builds)[0]?.app) {
      session.versionOfDeployment = (id) => versionOfDeployment(ctx.builds, id) ?? null;
      session.buildIdsToFind = Object.values(ctx.builds)
        .filter((b) => b.withDeploymentId === false)
        .map((b) => b.buildId);
    }
    ctx.sessions.set(s.session, session);
    const seen = await session.gotoStale(doc);
    ctx.history.append({
      type: 'session-open',
      session: s.session,
      url: doc.url,
      version: seen.version,
      deploymentId: seen.deploymentId,
      staleHtmlFrom: s.from,
    });
  },
};
