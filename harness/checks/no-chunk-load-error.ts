import { classifyError } from '../core/failures.ts';
import { ofType } from '../core/history.ts';
import { capped, pathOf, stepAt, type Check } from './check.ts';

/**
 * No session saw a ChunkLoadError, a CSS chunk failure, a Server Action mismatch, or Next giving
 * up on a recovery that would load the page the tab is on (#39730: the click does nothing).
 */
export const noChunkLoadError: Check = {
  name: 'no-chunk-load-error',
  description:
    'no browser session hit ChunkLoadError, a CSS chunk failure, a Server Action mismatch or a same-URL hard navigation Next refused',
  fix: "keep every build's /_next/static files reachable while any client may still run it: keep previous releases (or a merged/additive store), never replace the static directory in place, and delete old builds only under a retention rule",
  judge({ events }) {
    const errors = [...ofType(events, 'pageerror'), ...ofType(events, 'console-error')];
    const found: string[] = [];
    for (const e of errors) {
      const c = classifyError(e.message);
      if (!c) continue;
      const step = stepAt(events, e.t);
      found.push(
        `session ${e.session} at ${(e.t / 1000).toFixed(2)}s${step ? ` during ${step}` : ''}: ${c.failure}${c.url ? ` for ${pathOf(c.url)}` : ''} — ${firstLine(e.message)}`,
      );
    }
    const missing = ofType(events, 'response').filter((r) => r.status >= 400 && new URL(r.url).pathname.includes('/_next/static/'));
    const sessions = new Set(ofType(events, 'session-open').map((s) => s.session));
    if (found.length === 0) {
      if (sessions.size === 0) return { verdict: 'inconclusive', evidence: ['no browser session ran: nothing to judge'] };
      return {
        verdict: 'pass',
        evidence: [`${sessions.size} session(s), ${errors.length} error message(s), none a chunk/CSS/Server Action/same-URL failure`],
      };
    }
    const misses = missing.map((r) => `session ${r.session}: ${r.status} ${pathOf(r.url)} (CF-Cache-Status ${r.cache ?? '-'})`);
    return { verdict: 'fail', evidence: capped([...found, ...dedupe(misses)], 20) };
  },
};

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 240);
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
