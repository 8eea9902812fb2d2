import { describe, expect, it } from 'vitest';
import type { Stamped } from './history.ts';
import { failureKind, formatEvent, minimalWitness } from './witness.ts';

const ev = (t: number, status: number): Stamped => ({
  t,
  type: 'probe',
  label: 'A',
  url: `/_next/static/${t}.js`,
  status,
  cache: null,
  age: null,
  deployment: null,
});

describe('a failure’s witness', () => {
  it('finds the one event that alone fails a check, among hundreds', () => {
    const events = Array.from({ length: 300 }, (_, i) => ev(i, i === 217 ? 404 : 200));
    const fails = (sub: readonly Stamped[]) => sub.some((e) => e.type === 'probe' && e.status === 404);
    const w = minimalWitness(events, fails);
    expect(w).toEqual({ events: [events[217]], minimal: true });
  });

  it('keeps every event a failure needs together, in the history’s order', () => {
    // Fails only when a deploy of B came before a 404: both are the witness, nothing else.
    const events: Stamped[] = [
      ...Array.from({ length: 40 }, (_, i) => ev(i, 200)),
      { t: 50, type: 'deployer', deployer: 'd', action: 'deploy', version: 'B', deploymentId: 'b', ok: true, ms: 1 },
      ...Array.from({ length: 40 }, (_, i) => ev(100 + i, i === 33 ? 404 : 200)),
    ];
    const fails = (sub: readonly Stamped[]) => {
      const deploy = sub.findIndex((e) => e.type === 'deployer');
      return deploy >= 0 && sub.slice(deploy).some((e) => e.type === 'probe' && e.status === 404);
    };
    expect(minimalWitness(events, fails).events.map((e) => e.t)).toEqual([50, 133]);
  });

  it('stops at its budget with a failing subset, and says it is not minimal', () => {
    let calls = 0;
    const events = Array.from({ length: 5000 }, (_, i) => ev(i, 200));
    // Every subset of 2500 or more fails: the search cannot finish within its budget of judgements.
    const w = minimalWitness(events, (sub) => ++calls > 0 && sub.length >= 2500);
    expect(w.minimal).toBe(false);
    expect(w.events.length).toBeGreaterThanOrEqual(2500);
    expect(calls).toBeLessThanOrEqual(2000);
  });

  it('compares failures by kind, numbers aside; prints an event on one line', () => {
    expect(failureKind(['version A: 3/44 requests answered 200'])).toBe(failureKind(['version A: 0/1 requests answered 200']));
    expect(failureKind(['version A: 3/44 requests answered 200'])).not.toBe(failureKind(['version B: 3/44 requests answered 200']));
    expect(formatEvent(ev(12, 404))).toBe(
      '12 ms probe {"label":"A","url":"/_next/static/12.js","status":404,"cache":null,"age":null,"deployment":null}',
    );
  });
});
