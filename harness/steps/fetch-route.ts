import { z } from 'zod';
import { clickForResult } from './counted-result.ts';
import { sessionOf, type StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('fetchRoute'),
  session: z.string().min(1),
  /** `app`: an App Router route handler; `pages`: a Pages Router API route; `proxy`: an answer of the proxy (middleware). */
  route: z.enum(['app', 'pages', 'proxy']),
  /** True: the tab's code sends its deployment id (x-deployment-id); false: a plain fetch(). */
  pinned: z.boolean(),
});
export type FetchRouteStep = z.infer<typeof schema>;

/**
 * The tab's own code fetches one of the app's endpoints (the fixture's /server page). Next adds
 * x-deployment-id only to its own requests; an app that wants its fetches answered by its build
 * sends it itself, and a pinned answer must then come from that build.
 */
export const fetchRoute: StepKind<FetchRouteStep> = {
  kind: 'fetchRoute',
  schema,
  label: (s) => `${s.session}: fetch the ${s.route} endpoint ${s.pinned ? 'with' : 'without'} x-deployment-id`,
  run: async (ctx, s) => {
    const key = `${s.route}-${s.pinned ? 'pinned' : 'plain'}`;
    await clickForResult(sessionOf(ctx, s.session), `fetchRoute:${key}`, `fetch-${key}`, `fetch-${key}-result`);
  },
};
