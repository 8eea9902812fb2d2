import { z } from 'zod';
import { unlink } from 'node:fs/promises';
import type { FaultKind } from './fault.ts';
import { HarnessError } from '../errors/harness-error.ts';

const params = z.strictObject({
  /** Whose static files the full cache drops (default: the first version's). */
  version: z
    .string()
    .regex(/^[A-Z]$/)
    .default('A'),
});

/**
 * Cache full: the edge evicts (LRU, not a purge) every cached `/_next/static` file of a version
 * at every location, so the next request for one goes to the origin. A deploy that deleted the
 * old build's files and relied on the CDN still holding them is found out.
 */
export const edgeEvict: FaultKind<z.infer<typeof params>> = {
  name: 'edge-evict',
  area: 'edge',
  description:
    "The edge's cache is full: every cached /_next/static file of the version is evicted at every location (not a purge: nobody asked). The origin must still hold them; a deployer that deleted them and relied on the CDN's copies breaks every tab on that build.",
  params,
  label: (p) => `edge cache full: ${p.version}'s static files evicted`,
  async inject(ctx, p) {
    const build = ctx.builds[p.version];
    if (!build)
      throw new HarnessError(
        'INVALID_SCENARIO',
        `edge-evict: version ${p.version} is not among the scenario's versions (${Object.keys(ctx.builds).join(', ')})`,
        'evict a version the scenario builds',
      );
    const urls = new Set(build.assets.map((a) => a.url));
    let evicted = 0;
    for (const location of ctx.stack.locations) {
      for (const e of await ctx.stack.edgeAt(location).cacheEntries()) {
        const path = e.hostPath.slice(e.hostPath.indexOf('/')).split('?')[0]!;
        const pin = /[?&]dpl=([^&|]+)/.exec(e.key)?.[1] ?? /\|dpl=([^|]*)/.exec(e.key)?.[1];
        if (!path.includes('/_next/static/') || !(urls.has(path) || pin === build.deploymentId)) continue;
        // Gone already (nginx's own cache manager) is evicted too; anything else is a real error.
        await unlink(e.file).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
        evicted++;
      }
    }
    ctx.history.append({
      type: 'fault',
      fault: 'edge-evict',
      id: 'edge-evict',
      area: 'edge',
      phase: 'hit',
      label: `evicted ${evicted} cached file(s) of ${p.version} (${build.deploymentId})`,
    });
    return async () => {};
  },
};
