import { Agent, request } from 'undici';
import type { LoadOutcome, LoadPhase, LoadReport } from '../core/load-report.ts';
import { HarnessError } from '../errors/harness-error.ts';

export interface LoadOptions {
  edgeUrl: string;
  clients: number;
  /** Hard stop (the run's own end comes first normally). */
  maxMs?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Mean pause between a client's requests (a user reads, clicks; 0: as fast as possible). */
  thinkMs?: number;
}

const ASSET = /(?:src|href)="(\/_next\/static\/[^"?]+(?:\?[^"]*)?)"/g;

/**
 * N concurrent HTTP clients (undici, one keep-alive pool) that behave like the sessions of a
 * deploy: half are tabs that loaded their build once and keep fetching that build's files (with
 * its `?dpl`); half are arriving visitors that fetch the current HTML, then its files. Every
 * request is timed and classified under the phase it started in. Loopback only, bounded in
 * clients and time.
 */
export class Load {
  private phase = 'start';
  private stopped = false;
  private readonly samples: string[] = [];
  private readonly byPhase = new Map<
    string,
    { latencies: number[]; errors: LoadPhase['errors']; retried: number; started: number; ended: number }
  >();
  private readonly agent: Agent;
  private readonly workers: Promise<void>[] = [];
  private readonly startedAt = Date.now();
  private deadline: NodeJS.Timeout;

  private constructor(private readonly o: Required<LoadOptions>) {
    if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(o.edgeUrl.replace(/\/$/, '')))
      throw new HarnessError(
        'INVALID_OPTION',
        `load goes to loopback only, not ${o.edgeUrl}`,
        "skew sends load only to a run's own edge on 127.0.0.1",
      );
    this.agent = new Agent({ connections: o.clients, pipelining: 1, keepAliveTimeout: 10_000 });
    this.deadline = setTimeout(() => (this.stopped = true), o.maxMs);
  }

  static start(o: LoadOptions): Load {
    // A session clicks about once a second, not in a tight loop: 1,000 clients ≈ 1,000 requests/s.
    const load = new Load({ maxMs: 5 * 60_000, timeoutMs: 10_000, thinkMs: 1_000, ...o });
    for (let i = 0; i < o.clients; i++) load.workers.push(load.client(i % 2 === 0 ? 'tab' : 'visitor', i));
    return load;
  }

  /** Requests started from now on count under `name` (e.g. "deploy B"). */
  setPhase(name: string): void {
    this.phase = name;
  }

  async stop(): Promise<LoadReport> {
    this.stopped = true;
    clearTimeout(this.deadline);
    await Promise.all(this.workers);
    await this.agent.close();
    const phases: LoadPhase[] = [...this.byPhase].map(([phase, p]) => {
      const sorted = [...p.latencies].sort((a, b) => a - b);
      const pct = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
      const seconds = Math.max(0.001, (p.ended - p.started) / 1000);
      return {
        phase,
        requests: sorted.length,
        retried: p.retried,
        errors: p.errors,
        p50: round(pct(0.5)),
        p95: round(pct(0.95)),
        p99: round(pct(0.99)),
        rps: Math.round(sorted.length / seconds),
      };
    });
    const errors: LoadReport['errors'] = {};
    for (const p of phases)
      for (const [k, v] of Object.entries(p.errors)) errors[k as keyof typeof errors] = (errors[k as keyof typeof errors] ?? 0) + (v ?? 0);
    return {
      clients: this.o.clients,
      requests: phases.reduce((a, p) => a + p.requests, 0),
      errors,
      samples: this.samples,
      phases,
      ms: Date.now() - this.startedAt,
    };
  }

  private async client(kind: 'tab' | 'visitor', n: number): Promise<void> {
    // Spread the starts over a moment, so a thousand clients do not open at the same instant.
    await sleep(Math.random() * 200);
    let assets: string[] = [];
    let i = 0;
    // Bounded: the deadline stops every client, whatever happens.
    while (!this.stopped) {
      if (this.o.thinkMs) await sleep(this.o.thinkMs * (0.5 + Math.random()));
      if (this.stopped) break;
      if (kind === 'visitor' || assets.length === 0) {
        // Every other visitor arrives from a campaign link: the edge keys the query apart, so that
        // page comes from the origin's server (a server that stops answers 502), as in real traffic.
        const page = kind === 'visitor' && i++ % 2 === 1 ? `/?utm_source=skew-load&utm_id=${n}-${i}` : '/';
        const html = await this.get(page);
        if (html.body) assets = [...html.body.matchAll(ASSET)].map((m) => m[1]!);
        if (!assets.length) await sleep(50); // no page yet (nothing deployed): do not spin
        if (kind === 'visitor') for (const a of assets.slice(0, 3)) if (!this.stopped) await this.get(a);
      } else {
        // A tab on its build: that build's files, one after another, as lazy loads come.
        await this.get(assets[i++ % assets.length]!);
      }
    }
  }

  private async get(path: string): Promise<{ body?: string }> {
    const phase = this.phase;
    const t = performance.now();
    let { outcome, body } = await this.once(path);
    let retried = false;
    // A browser retries a GET once when a reused keep-alive connection is reset (nginx closes
    // idle ones when it reloads): so do we, and count it apart.
    if (outcome === 'reset') {
      ({ outcome, body } = await this.once(path));
      retried = outcome === 'ok';
    }
    const ms = performance.now() - t;
    const p = this.byPhase.get(phase) ?? { latencies: [], errors: {}, retried: 0, started: Date.now(), ended: Date.now() };
    p.latencies.push(ms);
    p.ended = Date.now();
    if (retried) p.retried++;
    if (outcome !== 'ok') {
      p.errors[outcome] = (p.errors[outcome] ?? 0) + 1;
      // A few of each kind: a burst of one (502s in a restart) must not hide another (404s of old files).
      const sample = `${phase}: ${outcome} for ${path}`;
      if (this.samples.filter((x) => x.startsWith(`${phase}: ${outcome} `)).length < 4 && this.samples.length < 20)
        this.samples.push(sample);
    }
    this.byPhase.set(phase, p);
    return body === undefined ? {} : { body };
  }

  private async once(path: string): Promise<{ outcome: LoadOutcome; body?: string }> {
    try {
      const r = await request(`${this.o.edgeUrl}${path}`, {
        dispatcher: this.agent,
        headersTimeout: this.o.timeoutMs,
        bodyTimeout: this.o.timeoutMs,
      });
      if (r.statusCode === 200 && (path === '/' || path.startsWith('/?'))) return { outcome: 'ok', body: await r.body.text() };
      await r.body.dump();
      if (r.statusCode === 404) return { outcome: 'http-404' };
      if (r.statusCode >= 500) return { outcome: 'http-5xx' };
      if (r.statusCode >= 400) return { outcome: 'http-4xx' };
      return { outcome: 'ok' };
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      return {
        outcome:
          code === 'ECONNREFUSED'
            ? 'refused'
            : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
              ? 'reset'
              : code.includes('TIMEOUT')
                ? 'timeout'
                : 'other-error',
      };
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
