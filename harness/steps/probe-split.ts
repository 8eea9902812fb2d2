import { deploymentIdOfPage } from '../probe/probe-site.ts';
import { z } from 'zod';
import { VISITOR_COOKIE } from '../cdn/nginx-config.ts';
import type { StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('probeSplit'),
  path: z.string().startsWith('/').default('/'),
  /** How many new visitors (distinct visitor cookies, the same ids every run). */
  visitors: z.number().int().min(10).max(2000).default(200),
});
export type ProbeSplitStep = z.input<typeof schema>;

const CONCURRENCY = 16;

/**
 * Many first-time visitors load a page; each answer's deployment (the page's `data-dpl-id`) is
 * counted, to compare with the traffic table in force. Visitor ids are fixed (`visitor-1`, …),
 * so a run is reproducible: nginx's split is a hash of the id.
 */
export const probeSplit: StepKind<ProbeSplitStep> = {
  kind: 'probeSplit',
  schema: schema as unknown as z.ZodType<ProbeSplitStep>,
  label: (s) => `${s.visitors ?? 200} new visitors load ${s.path ?? '/'}`,
  async run(ctx, raw) {
    const s = schema.parse(raw);
    const counts: Record<string, number> = {};
    const ids = Array.from({ length: s.visitors }, (_, i) => `visitor-${i + 1}`);
    for (let i = 0; i < ids.length; i += CONCURRENCY) {
      await Promise.all(
        ids.slice(i, i + CONCURRENCY).map(async (id) => {
          const r = await fetch(new URL(s.path, ctx.stack.url), {
            headers: { cookie: `${VISITOR_COOKIE}=${id}` },
            signal: AbortSignal.timeout(10_000),
          });
          const html = await r.text();
          const dpl = r.ok ? (deploymentIdOfPage(html) ?? 'unknown') : `HTTP ${r.status}`;
          counts[dpl] = (counts[dpl] ?? 0) + 1;
        }),
      );
    }
    ctx.history.append({ type: 'split-probe', path: s.path, visitors: s.visitors, counts });
  },
};
