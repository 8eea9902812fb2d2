import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { parseScenario, type Scenario } from '../harness/scenario/parse.ts';
import { DEPLOYERS } from '../harness/deployers/registry.ts';
import { CATALOGUE } from './index.ts';
import { originFaults } from './origin-faults.ts';
import { storageFaults } from './storage-faults.ts';

/** The scenarios added with the storage faults and the new origin negative controls. */
const NEW = ['store-shows-upload-late', 'store-applies-html-first', 'origin-flaky-new', 'origin-slow-answers'];

describe('storage and origin fault scenarios', () => {
  const all: Scenario[] = [...storageFaults, ...originFaults];

  it('each parses and is in the catalogue', () => {
    for (const s of all) expect(() => parseScenario(s, `scenarios/${s.name}`), s.name).not.toThrow();
    const names = CATALOGUE.map((s) => s.name);
    for (const n of NEW) expect(names, n).toContain(n);
    for (const s of all) expect(names, s.name).toContain(s.name);
  });

  it('each has a good and at least one broken reference deployer that exist, the broken ones failing on its own checks', () => {
    for (const s of all) {
      expect(DEPLOYERS[s.reference.good]?.reference, `${s.name} good ${s.reference.good}`).toBe('good');
      expect(s.reference.broken.length, s.name).toBeGreaterThan(0);
      for (const b of s.reference.broken) {
        expect(DEPLOYERS[b.deployer]?.reference, `${s.name} broken ${b.deployer}`).toBe('broken');
        expect(b.fails.length).toBeGreaterThan(0);
        for (const c of b.fails) expect(s.checks, `${s.name}: ${b.deployer} fails ${c}`).toContain(c);
      }
    }
  });

  it('the broken deployers added for them are scripts that exist (the registry does not check its paths)', () => {
    for (const name of ['trusts-upload', 'trusts-one-answer', 'impatient-health-check']) {
      expect(existsSync(new URL(`../deployers/broken/${name}.sh`, import.meta.url)), name).toBe(true);
      expect(DEPLOYERS[name]?.reference, name).toBe('broken');
    }
  });

  it('the storage scenarios inject the storage faults, heal them, and are proven against trusts-upload', () => {
    expect(storageFaults.map((s) => s.name)).toEqual(['store-shows-upload-late', 'store-applies-html-first']);
    for (const s of storageFaults) {
      const inject = s.steps.find((x) => x.kind === 'inject') as { fault: string } | undefined;
      expect(inject?.fault, s.name).toMatch(/^storage-(visible-late|html-first)$/);
      expect(
        s.steps.some((x) => x.kind === 'heal' && (x as { fault: string }).fault === inject!.fault),
        s.name,
      ).toBe(true);
      expect(s.reference.broken.map((b) => b.deployer)).toEqual(['trusts-upload']);
    }
  });

  it('origin-slow-answers: every new visitor must see B (slow is not broken), and impatient-health-check fails that', () => {
    const s = originFaults.find((x) => x.name === 'origin-slow-answers')!;
    const opens = s.steps.filter((x) => x.kind === 'openSession') as { session: string; mustSee?: string }[];
    const newcomers = opens.filter((o) => o.session.endsWith('-new'));
    expect(newcomers.map((o) => o.session)).toEqual(['app-new', 'pages-new']);
    for (const o of newcomers) expect(o.mustSee, o.session).toBe('B');
    // The tab on A opened before the deploy is not required to see B.
    for (const o of opens.filter((x) => !x.session.endsWith('-new'))) expect(o.mustSee, o.session).toBeUndefined();
    expect(s.reference.broken).toEqual([{ deployer: 'impatient-health-check', fails: ['new-sessions-current'] }]);
  });

  it('the other origin scenarios leave new visitors free (no mustSee): a deployer may refuse a broken B', () => {
    for (const s of originFaults.filter((x) => x.name !== 'origin-slow-answers')) {
      for (const o of s.steps.filter((x) => x.kind === 'openSession')) expect((o as { mustSee?: string }).mustSee, s.name).toBeUndefined();
    }
  });
});
