import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { injectHold } from './storage-hold.ts';

const params = z.strictObject({
  /** The static files become visible this long after the last other file of the upload. */
  ms: z.number().int().min(1).max(120_000).default(8_000),
});

const STATIC = '/.next/static/';

/**
 * The upload order reversed (a parallel sync, a tool that walks the tree backwards): HTML,
 * manifests and server code reach the store first, `_next/static` last — `ms` after every
 * other file of the upload.
 */
export const storageHtmlFirst: FaultKind<z.infer<typeof params>> = {
  name: 'storage-html-first',
  area: 'storage',
  description:
    "The store applies the next deployer actions' uploads in reverse order: every file outside .next/static is visible at once, the static files only `ms` after the last of those. A deployer must see its whole upload before it switches: else the new HTML goes live before its chunks.",
  params,
  label: (p) => `the store shows an upload's static files last, ${p.ms} ms after its other files`,
  async inject(ctx, p) {
    let lastOther = 0;
    return injectHold(ctx, 'storage-html-first', {
      holds: (f) => f.includes(STATIC),
      wrote: (t) => (lastOther = t),
      visibleAt: (heldAt) => Math.max(heldAt, lastOther) + p.ms,
    });
  },
};
