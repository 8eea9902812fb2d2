import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { publicFileOf } from '../builds/asset-manifest.ts';
import type { StepKind } from './step.ts';

const schema = z.object({
  kind: z.literal('probePublic'),
  /** public/ paths to fetch; default: every public file of the current build. */
  paths: z.array(z.string().startsWith('/')).optional(),
});
export type ProbePublicStep = z.infer<typeof schema>;

/**
 * Fetches public/ files through the edge and records which version's file came back. public/
 * files are not hashed: only a purge makes the edge drop a cached copy of another version's.
 */
export const probePublic: StepKind<ProbePublicStep> = {
  kind: 'probePublic',
  schema,
  label: (s) => `probe public files${s.paths ? ` ${s.paths.join(' ')}` : ''}`,
  async run(ctx, s) {
    const versions = Object.entries(ctx.builds);
    const current = versions.find(([, b]) => b.deploymentId === ctx.stack.current);
    const paths = s.paths ?? current?.[1].publicFiles ?? [];
    for (const path of paths) {
      const r = await fetch(new URL(path, ctx.stack.url));
      const body = Buffer.from(await r.arrayBuffer());
      let servedVersion: string | null = null;
      for (const [v, b] of versions) {
        const file = await readFile(join(b.dir, 'public', publicFileOf(b, path))).catch(() => undefined);
        if (file?.equals(body)) servedVersion = servedVersion ? `${servedVersion}/${v}` : v;
      }
      ctx.history.append({
        type: 'public-probe',
        path,
        status: r.status,
        cache: r.headers.get('cf-cache-status'),
        age: r.headers.get('age'),
        servedVersion,
        currentVersion: current?.[0] ?? null,
      });
    }
  },
};
