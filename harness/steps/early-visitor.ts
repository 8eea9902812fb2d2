import { staticRefs } from '../probe/probe-site.ts';
import type { StepContext } from './step.ts';

/** The page's own files, at most this many: a visitor's first load, bounded. */
const MAX_FILES = 60;
/** One request of the visitor; the edge answers loopback requests in milliseconds. */
const TIMEOUT_MS = 10_000;

/**
 * A visitor who arrives while a deploy is still running: GETs the page through the edge, then
 * every /_next/static file its HTML references, the way a browser's first load would. Each
 * answer is recorded as a probe labelled with the moment it came (`early visitor after purge`).
 */
export async function earlyVisit(ctx: StepContext, path: string, moment: string): Promise<void> {
  const label = `early visitor ${moment}`;
  const page = new URL(path, ctx.stack.url);
  const res = await fetch(page, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const html = await res.text();
  const record = (url: string, r: Response) =>
    ctx.history.append({
      type: 'probe',
      label,
      url,
      status: r.status,
      cache: r.headers.get('cf-cache-status'),
      age: r.headers.get('age'),
      deployment: r.headers.get('x-nextjs-deployment-id'),
    });
  record(path, res);
  for (const ref of staticRefs(html).slice(0, MAX_FILES)) {
    const r = await fetch(new URL(ref, page), { signal: AbortSignal.timeout(TIMEOUT_MS) });
    await r.arrayBuffer();
    record(ref, r);
  }
}
