import { z } from 'zod';
import { buildOf, type StepKind } from './step.ts';

const CONCURRENCY = 8;

const schema = z.object({
  kind: z.literal('probeAssets'),
  version: z.string().min(1),
  label: z.string().min(1).optional(),
});
export type ProbeAssetsStep = z.infer<typeof schema>;

/**
 * Requests every URL of a version's asset manifest through the edge, pinned with `?dpl=` and
 * unpinned, twice each (the second tells whether the edge caches it). Bounded by the manifest.
 */
export const probeAssets: StepKind<ProbeAssetsStep> = {
  kind: 'probeAssets',
  schema,
  label: (s) => `probe every asset of ${s.version}`,
  async run(ctx, s) {
    const build = buildOf(ctx, s.version);
    const label = s.label ?? `assets-${s.version}`;
    const probes = build.assets.flatMap((asset) => [true, false].map((pinned) => ({ asset, pinned })));
    // A few URLs at a time (bounded); each URL's two requests stay in order, so the second
    // one tells whether the first was stored.
    for (let i = 0; i < probes.length; i += CONCURRENCY) {
      const batch = await Promise.all(probes.slice(i, i + CONCURRENCY).map(async ({ asset, pinned }) => {
        const path = pinned ? `${asset.url}?dpl=${encodeURIComponent(build.deploymentId)}` : asset.url;
        const answers = [];
        for (let n = 0; n < 2; n++) answers.push(await fetch(new URL(path, ctx.stack.url), { method: 'HEAD' }));
        return answers.map((r) => ({ r, asset, pinned, path }));
      }));
      for (const { r, asset, pinned, path } of batch.flat()) {
        ctx.history.append({
          type: 'probe', label, url: path, status: r.status, cache: r.headers.get('cf-cache-status'), age: r.headers.get('age'),
          deployment: r.headers.get('x-nextjs-deployment-id'), version: s.version, assetKind: asset.kind, ...(pinned ? { pinned: build.deploymentId } : {}),
        });
      }
    }
  },
};
