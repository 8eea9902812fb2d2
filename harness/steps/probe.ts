import { z } from 'zod';
import type { StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('probe'),
  /** Names the moment, e.g. `html-after-deploy`; checks look probes up by label. */
  label: z.string().min(1),
  paths: z.array(z.string().startsWith('/')).min(1),
});
export type ProbeStep = z.infer<typeof schema>;

/** `curl -sI` through the edge, recorded: status, CF-Cache-Status, Age, deployment id. */
export const probe: StepKind<ProbeStep> = {
  kind: 'probe',
  schema,
  label: (s) => `probe ${s.label}: ${s.paths.join(' ')}`,
  async run(ctx, s) {
    for (const path of s.paths) {
      const url = new URL(path, ctx.stack.url).toString();
      const r = await fetch(url, { method: 'HEAD' });
      ctx.history.append({
        type: 'probe', label: s.label, url: path, status: r.status,
        cache: r.headers.get('cf-cache-status'), age: r.headers.get('age'), deployment: r.headers.get('x-nextjs-deployment-id'),
      });
    }
  },
};
