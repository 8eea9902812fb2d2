import { z } from 'zod';
import { buildOf, type StepKind } from './step.ts';

const CONCURRENCY = 8;

const schema = z.object({
  kind: z.literal('probeAssets'),
  version: z.string().min(1),
  label: z.string().min(1).optional(),
  /**
   * `edge` (default): what users get, cache included. `origin`: what is still on origin, the
   * edge cache bypassed — an asset the edge still holds hides a deletion until it is evicted
   * or another CDN node asks.
   */
  from: z.enum(['edge', 'origin']).optional(),
});
export type ProbeAssetsStep = z.infer<typeof schema>;

/** Bypasses the edge cache for one request (see the edge's /_next/static/ location). */
export const ORIGIN_HEADER = 'x-skew-origin';

/**
 * Requests every URL of a version's asset manifest through the edge, pinned with `?dpl=` and
 * unpinned, twice each (the second tells whether the edge caches it), or once each from origin.
 * Bounded by the manifest.
 */
export const probeAssets: StepKind<ProbeAssetsStep> = {
  kind: 'probeAssets',
  schema,
  label: (s) => `probe every asset of ${s.version}${s.from === 'origin' ? ' on origin' : ''}`,
  async run(ctx, s) {
    const build = buildOf(ctx, s.version);
    const origin = s.from === 'origin';
    const label = s.label ?? `${origin ? 'origin-' : ''}assets-${s.version}`;
    const probes = build.assets.flatMap((asset) => [true, false].map((pinned) => ({ asset, pinned })));
    const headers: Record<string, string> = origin ? { [ORIGIN_HEADER]: '1' } : {};
    // A few URLs at a time (bounded); each URL's two requests stay in order, so the second
    // one tells whether the first was stored.
    for (let i = 0; i < probes.length; i += CONCURRENCY) {
      const batch = await Promise.all(
        probes.slice(i, i + CONCURRENCY).map(async ({ asset, pinned }) => {
          const path = pinned ? `${asset.url}?dpl=${encodeURIComponent(build.deploymentId)}` : asset.url;
          const answers = [];
          for (let n = 0; n < (origin ? 1 : 2); n++) answers.push(await fetch(new URL(path, ctx.stack.url), { method: 'HEAD', headers }));
          return answers.map((r) => ({ r, asset, pinned, path }));
        }),
      );
      for (const { r, asset, pinned, path } of batch.flat()) {
        ctx.history.append({
          type: 'probe',
          label,
          url: path,
          status: r.status,
          cache: r.headers.get('cf-cache-status'),
          age: r.headers.get('age'),
          deployment: r.headers.get('x-nextjs-deployment-id'),
          version: s.version,
          assetKind: asset.kind,
          ...(pinned ? { pinned: build.deploymentId } : {}),
          ...(origin ? { origin: true as const } : {}),
        });
      }
    }
  },
};
