import { z } from 'zod';
import type { FaultKind } from './fault.ts';
import { injectHold } from './storage-hold.ts';

const params = z.strictObject({
  /** Each uploaded file becomes visible this long after it was written. */
  ms: z.number().int().min(1).max(120_000).default(8_000),
  /** Only paths that contain this are late (e.g. `/static/`); every file when absent. */
  under: z.string().min(1).optional(),
});

/**
 * An eventually consistent store (replication lag, a listing that trails the writes): what the
 * next deployer actions upload is visible only `ms` after it was written — to the origin and to
 * the deployer's own checks alike.
 */
export const storageVisibleLate: FaultKind<z.infer<typeof params>> = {
  name: 'storage-visible-late',
  area: 'storage',
  description:
    "Every file the next deployer actions write into the deploy root (or only paths containing `under`) becomes visible `ms` after it was written, to the origin and to the deployer's own checks. A deployer must see its whole upload in the store before it switches: else the new HTML goes live before its chunks.",
  params,
  label: (p) => `the store shows uploaded files${p.under ? ` under ${p.under}` : ''} ${p.ms} ms late`,
  async inject(ctx, p) {
    return injectHold(ctx, 'storage-visible-late', {
      holds: (f) => !p.under || f.includes(p.under),
      visibleAt: (heldAt) => heldAt + p.ms,
    });
  },
};
