import { ofType } from '../core/history.ts';
import type { Check } from './check.ts';

/**
 * Under load (`--load N`), no request of the HTTP clients failed: not a tab's old file (404),
 * not a page (5xx), not a connection. Latency percentiles per phase go with the evidence.
 */
export const loadErrors: Check = {
  name: 'load-errors',
  description:
    'with --load N: every request of the N HTTP clients (tabs on the old build, arriving visitors) succeeded through every deploy and rollback',
  fix: "errors under load during a swap: keep the old build's files and origin serving until the new one answers, and let the edge keep its cached copies (see the phases with errors)",
  judge({ events }) {
    const load = ofType(events, 'load').at(-1)?.report;
    if (!load) return { verdict: 'inconclusive', evidence: ['no load ran (start the run with --load N)'] };
    const total = Object.values(load.errors).reduce((a, b) => a + (b ?? 0), 0);
    const phases = load.phases.map((p) => {
      const errs = Object.entries(p.errors)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
      return `${p.phase}: ${p.requests} requests${p.retried ? ` (${p.retried} retried once after a keep-alive reset, as a browser does)` : ''}, ${p.rps}/s, p50 ${p.p50} ms, p95 ${p.p95} ms, p99 ${p.p99} ms${errs ? `, errors: ${errs}` : ''}`;
    });
    const head = `${load.clients} clients, ${load.requests} requests in ${(load.ms / 1000).toFixed(1)} s, ${total} error(s)${
      total
        ? `: ${Object.entries(load.errors)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')}`
        : ''
    }`;
    return { verdict: total ? 'fail' : 'pass', evidence: [head, ...phases, ...load.samples.slice(0, total ? 10 : 0)] };
  },
};
