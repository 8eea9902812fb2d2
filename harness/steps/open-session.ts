import { z } from 'zod';
import { Session } from '../browser/session.ts';
import type { StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('openSession'),
  session: z.string().min(1),
  path: z.string().startsWith('/'),
});
export type OpenSessionStep = z.infer<typeof schema>;

/** A new user arrives: a fresh browser context loads a page through the edge. */
export const openSession: StepKind<OpenSessionStep> = {
  kind: 'openSession',
  schema,
  label: (s) => `open ${s.session} at ${s.path}`,
  async run(ctx, s) {
    if (ctx.sessions.has(s.session)) throw new Error(`session "${s.session}" is already open`);
    const session = await Session.open(await ctx.browser(), s.session, ctx.history, ctx.timeouts);
    ctx.sessions.set(s.session, session);
    const url = new URL(s.path, ctx.stack.url).toString();
    const seen = await session.goto(url);
    ctx.history.append({ type: 'session-open', session: s.session, url, version: seen.version, deploymentId: seen.deploymentId, expectVersion: versionOfDeployment(ctx.builds, ctx.stack.current) });
  },
};

function versionOfDeployment(builds: Record<string, { deploymentId: string }>, id: string | undefined): string | undefined {
  return Object.entries(builds).find(([, b]) => b.deploymentId === id)?.[0];
}
