import { z } from 'zod';
import type { StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('probe'),
  /** Names the moment, e.g. `html-after-deploy`; checks look probes up by label. */
  label: z.string().min(1),
  paths: z.array(z.string().startsWith('/')).min(1),
  /** The edge location to ask (default: the first); `each` asks every location in turn. */
  location: z.string().min(1).optional(),
});
export type ProbeStep = z.infer<typeof schema>;

/** `curl -sI` through the edge, recorded: status, CF-Cache-Status, Age, deployment id. */
export const probe: StepKind<ProbeStep> = {
  kind: 'probe',
  schema,
  label: (s) => `probe ${s.label}: ${s.paths.join(' ')}${s.location ? ` via ${s.location === 'each' ? 'each location' : s.location}` : ''}`,
  async run(ctx, s) {
    const locations = s.location === 'each' ? ctx.stack.locations : [s.location];
    for (const location of locations) {
      for (const path of s.paths) {
        const url = new URL(path, ctx.stack.edgeAt(location).url).toString();
        const r = await fetch(url, { method: 'HEAD' });
        ctx.history.append({
          type: 'probe',
          label: s.label,
          url: path,
          status: r.status,
          cache: r.headers.get('cf-cache-status'),
          age: r.headers.get('age'),
          deployment: r.headers.get('x-nextjs-deployment-id'),
          ...(location ? { location } : {}),
        });
      }
    }
  },
};
