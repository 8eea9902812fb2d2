import { describe, expect, it } from 'vitest';
import { planGc, type GcPolicy, type StoreObject } from './plan.ts';

/**
 * The property the seed's GC must keep, over thousands of random deploy / split / GC histories:
 * no object referenced by a kept build (its build-id folder survives) or a live build (in the
 * traffic table) is ever deleted. The good policy never violates it; each broken variant must be
 * caught by some history. Seeded, so a failure is reproducible from the printed seed.
 */
const HISTORIES = 2000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A build's objects: its build-id folder, the shared framework chunk, some shared page chunks and CSS, its own chunk. */
function objectsOf(id: string, rand: () => number): string[] {
  const pick = (prefix: string, n: number) => Array.from({ length: n }, () => `${prefix}${Math.floor(rand() * 6)}`);
  return [
    ...new Set([
      `${id}/_buildManifest.js`,
      `${id}/_ssgManifest.js`,
      'chunks/framework.js',
      ...pick('chunks/page-', 2).map((k) => `${k}.js`),
      ...pick('css/', 1).map((k) => `${k}.css`),
      `chunks/own-${id}.js`,
    ]),
  ];
}

interface Violation {
  seed: number;
  detail: string;
}

/** Runs one random history against a policy; returns the first violation, if any. */
function history(seed: number, policy: GcPolicy): Violation | undefined {
  const rand = rng(seed);
  const ids = ['v1', 'v2', 'v3', 'v10', 'v11', 'v12', 'v20', 'v21'].sort(() => rand() - 0.5);
  const store = new Map<string, number>();
  const needs = new Map<string, string[]>();
  const labelled = new Map<string, boolean>();
  let traffic: { id: string; percent: number }[] = [];
  let clock = 0;
  const live = () => traffic.filter((t) => t.percent > 0).map((t) => t.id);
  const runGc = (when: string): Violation | undefined => {
    const objects: StoreObject[] = [...store].map(([key, uploaded]) => ({ key, uploaded }));
    const liveIds = live();
    // The status read fails now and then (the fail-safe and the teardown mistake need it).
    const readFailed = rand() < 0.05;
    const plan = planGc(
      objects,
      readFailed
        ? { resolved: [], unresolved: [], readFailed }
        : { resolved: liveIds.filter((id) => labelled.get(id)), unresolved: liveIds.filter((id) => !labelled.get(id)) },
      policy,
    );
    const before = new Set(store.keys());
    if (plan.deleteKeys.includes('*')) store.clear();
    for (const k of plan.deleteKeys) store.delete(k);
    // Only what this GC deleted counts: a split back to a build reaped long ago is the operator's doing.
    for (const [id, keys] of needs) {
      const kept = store.has(`${id}/_buildManifest.js`) || (before.has(`${id}/_buildManifest.js`) && plan.deleteKeys.includes('*'));
      if (!kept && !liveIds.includes(id)) continue;
      const missing = keys.filter((k) => before.has(k) && !store.has(k));
      if (missing.length) return { seed, detail: `${when}: ${id} (${kept ? 'kept' : 'live'}) lost ${missing.join(', ')}` };
    }
    return undefined;
  };
  for (let step = 0; step < 14; step++) {
    const r = rand();
    if (r < 0.5 && ids.length) {
      const id = ids.pop()!;
      const keys = objectsOf(id, rand);
      needs.set(id, keys);
      clock += 1000;
      for (const k of keys) if (!store.has(k)) store.set(k, clock);
      labelled.set(id, rand() > 0.15); // some revisions lack the operator's label
      const percent = [0, 10, 50, 100][Math.floor(rand() * 4)]!;
      const rest = traffic.reduce((a, t) => a + t.percent, 0);
      traffic =
        rest === 0 || percent === 100
          ? [{ id, percent: 100 }]
          : [{ id, percent }, ...traffic.map((t) => ({ ...t, percent: (t.percent * (100 - percent)) / rest }))];
      const v = runGc(`deploy ${id}`);
      if (v) return v;
    } else if (r < 0.8 && needs.size) {
      // A split (canary, or a rollback canary to any earlier build).
      const known = [...needs.keys()];
      const a = known[Math.floor(rand() * known.length)]!;
      const b = known[Math.floor(rand() * known.length)]!;
      traffic =
        a === b
          ? [{ id: a, percent: 100 }]
          : [
              { id: a, percent: 10 },
              { id: b, percent: 90 },
            ];
    } else if (needs.size) {
      const v = runGc('cleanup');
      if (v) return v;
    }
  }
  return undefined;
}

function firstViolation(policy: GcPolicy): Violation | undefined {
  for (let seed = 1; seed <= HISTORIES; seed++) {
    const v = history(seed, policy);
    if (v) return v;
  }
  return undefined;
}

const GOOD: GcPolicy = { retention: 3, keepLive: true, failSafe: true };

describe(`GC property: no referenced object of a kept or live build is deleted (${HISTORIES} random histories)`, () => {
  it("holds for the document's GC, at every retention", () => {
    for (const retention of [1, 3, 5]) expect(firstViolation({ ...GOOD, retention })).toBeUndefined();
  });

  it.each([
    ['window-only (ignores the live set)', { ...GOOD, keepLive: false, failSafe: false }],
    ['goes on when a live revision is unresolvable', { ...GOOD, failSafe: false }],
    ['treats chunks/ and css/ as build ids', { ...GOOD, sharedAsBuildId: true }],
    ["knows only Turbopack's chunks/ as shared (css/ taken for a build id)", { ...GOOD, reservedOnly: ['chunks'] }],
    ['matches build ids by prefix (v1 takes v10)', { ...GOOD, prefixMatch: true }],
    ['deletes the bare <app>/ prefix when the traffic read fails', { ...GOOD, teardownWhenNoTraffic: true }],
    ['sweeps shared chunks older than the oldest kept build', { ...GOOD, sweepByAge: true }],
  ] as [string, GcPolicy][])('catches the mistake: %s', (_, policy) => {
    const v = firstViolation(policy);
    expect(v, 'no history violated the property').toBeDefined();
    expect(v!.detail).toMatch(/lost /);
  });
});

describe('the retain window is by upload time', () => {
  // Deployed v10, then v9, then v1: ids that do not sort the way the deploys happened.
  const objects: StoreObject[] = ['v10', 'v9', 'v1'].flatMap((id, t) => [
    { key: `${id}/_buildManifest.js`, uploaded: t },
    { key: `chunks/own-${id}.js`, uploaded: t },
  ]);
  const none = { resolved: [], unresolved: [] };

  it('keeps the newest uploads', () => {
    expect(planGc(objects, none, { ...GOOD, retention: 2 }).doomed).toEqual(['v10']);
  });

  it('catches the mistake: the newest by id as a string keeps v9 and v10 and deletes v1, the newest upload', () => {
    expect(planGc(objects, none, { ...GOOD, retention: 2, sortById: true }).doomed).toEqual(['v1']);
  });
});

describe("the shared folders are webpack's too", () => {
  const objects: StoreObject[] = [
    { key: 'css/site.css', uploaded: 0 },
    { key: 'media/font.woff2', uploaded: 0 },
    ...['a', 'b', 'c', 'd'].flatMap((id, t) => [{ key: `${id}/_buildManifest.js`, uploaded: t + 1 }]),
  ];
  const none = { resolved: [], unresolved: [] };

  it('keeps css/ and media/ whatever their age', () => {
    expect(planGc(objects, none, GOOD).doomed).toEqual(['a']);
  });

  it('catches the mistake: a GC that knows only chunks/ deletes css/ and media/ as the oldest build ids', () => {
    expect(planGc(objects, none, { ...GOOD, reservedOnly: ['chunks'] }).deleteKeys).toEqual([
      'a/_buildManifest.js',
      'css/site.css',
      'media/font.woff2',
    ]);
  });
});
