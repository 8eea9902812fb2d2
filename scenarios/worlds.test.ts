import { describe, expect, it } from 'vitest';
import { referencesIn, worldsOf } from '../harness/core/scenario.ts';
import { DEPLOYERS } from '../harness/deployers/registry.ts';
import { CATALOGUE } from './index.ts';

/**
 * The server half: on a VPS and in a rolling update an old tab's server requests reach the new
 * build. Own-routing is the good reference there; the document's script fails (a Server Action
 * the new server does not know, or runs with its own code; a same-URL click Next refuses to
 * reload) or at best recovers by navigation.
 */
const SERVER_HALF = [
  'server-action-after-deploy',
  'server-action-stable-ids',
  'server-action-after-rollback',
  'prefetched-link-after-deploy',
  'ssg-data-after-deploy',
  'middleware-after-deploy',
  'route-handler-pinned',
  'image-and-font-after-deploy',
];

/** Where the catalogue applies (docs/worlds.md, docs/verdicts.md), and who is judged how there. */
describe('the catalogue in its worlds', () => {
  it('every scenario but the platform ones applies to single-origin; rolling is roll-forward, roll-back and the server half', () => {
    for (const s of CATALOGUE) expect(worldsOf(s).includes('single-origin'), s.name).toBe(!s.platform);
    expect(CATALOGUE.filter((s) => worldsOf(s).includes('rolling')).map((s) => s.name)).toEqual([
      'roll-forward',
      'roll-back',
      ...SERVER_HALF,
    ]);
  });

  it('on a VPS a scenario that judges hard reloads judges recoveries too: own-routing passes, the document script recovers', () => {
    const judging = CATALOGUE.filter((s) => !s.platform && s.checks.includes('no-hard-reload') && !SERVER_HALF.includes(s.name));
    expect(judging.map((s) => s.name)).toEqual([
      'roll-forward',
      'roll-back',
      'keep-releases',
      'retention-after-rollback',
      'keep-bad-static-15m',
      'tab-offline-during-deploy',
      'tab-restored-from-bfcache',
      'tab-idles-an-hour',
    ]);
    for (const s of judging) {
      expect(s.checks, s.name).toContain('recovers-by-navigation');
      const vps = referencesIn(s, 'single-origin');
      expect(vps.recovering, s.name).toContain('releases-symlink');
      // Nobody keeps a replaced server for the hour a tab idles: both recover, none passes.
      expect(vps.good, s.name).toBe(s.name === 'tab-idles-an-hour' ? undefined : 'own-routing');
    }
    // In pinned nothing changed: the document's script is the good deployer, nobody recovers.
    for (const s of judging) expect(referencesIn(s, 'pinned'), s.name).toMatchObject({ good: 'releases-symlink' });
  });

  it('elsewhere the pinned references hold on a VPS, and every deployer named in any world exists with its role', () => {
    for (const s of SERVER_HALF.map((n) => CATALOGUE.find((x) => x.name === n)!))
      for (const w of ['single-origin', 'rolling'] as const) {
        const r = referencesIn(s, w);
        expect(r.good, `${s.name} [${w}]`).toBe('own-routing');
        expect([...r.broken.map((b) => b.deployer), ...(r.recovering ?? [])], `${s.name} [${w}]`).toContain('releases-symlink');
      }
    for (const s of CATALOGUE.filter((x) => !x.platform && !x.checks.includes('no-hard-reload') && !SERVER_HALF.includes(x.name)))
      expect(referencesIn(s, 'single-origin'), s.name).toEqual(referencesIn(s, 'pinned'));
    for (const s of CATALOGUE)
      for (const w of worldsOf(s)) {
        const r = referencesIn(s, w);
        if (r.good) expect(DEPLOYERS[r.good]?.reference, `${s.name} [${w}] good`).toBe('good');
        for (const b of r.broken) expect(DEPLOYERS[b.deployer], `${s.name} [${w}] ${b.deployer}`).toBeDefined();
      }
  });
});
