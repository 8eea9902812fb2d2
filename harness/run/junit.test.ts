import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'test-results-parser';
import { describe, expect, it } from 'vitest';
import { mergeJUnit, toJUnit } from './junit.ts';
import type { ScenarioReport } from './report.ts';

const report = (verdicts: Record<string, 'pass' | 'fail' | 'inconclusive'>, deployer = 'replace-in-place'): ScenarioReport => ({
  schemaVersion: 1,
  scenario: 'roll-forward',
  title: 'Roll forward',
  deployer,
  deployerReference: 'broken',
  cdn: 'process',
  bundler: 'turbopack',
  verdict: Object.values(verdicts).includes('fail') ? 'fail' : 'pass',
  checks: Object.entries(verdicts).map(([check, verdict]) => ({
    check,
    verdict,
    evidence: [`session app-a: 404 /_next/static/chunks/x.js?dpl=a-1&v=<2> "quoted"`, 'second line'],
  })),
  versions: {},
  startedAt: '2026-11-23T10:00:00.000Z',
  durationMs: 9100,
  runDir: '/r',
  rerun: 'npx skew run roll-forward',
});

describe('JUnit XML', () => {
  it('is read by a JUnit parser as CI tools read it: a failure per failed check, errors for inconclusive ones', () => {
    const xml = toJUnit([
      report({ 'no-chunk-load-error': 'fail', 'cache-status': 'pass', 'no-hard-reload': 'inconclusive' }),
      report({ 'cache-status': 'pass' }, 'releases-symlink'),
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'skew-junit-')), 'junit.xml');
    writeFileSync(file, xml);
    const r = parse({ type: 'junit', files: [file] });
    expect(r).toMatchObject({ total: 4, passed: 2, failed: 1, errors: 1 });
    expect(r.suites.map((s) => s.name)).toEqual(['roll-forward [replace-in-place]', 'roll-forward [releases-symlink]']);
    const failed = r.suites[0]!.cases.find((c) => c.name === 'no-chunk-load-error')!;
    expect(failed.status).toBe('FAIL');
    expect(failed.failure).toBe('session app-a: 404 /_next/static/chunks/x.js?dpl=a-1&v=<2> "quoted"');
    expect(r.suites[1]!.status).toBe('PASS');
  });

  it('names the world of a suite when it is not the default, and records it as a property', () => {
    const xml = toJUnit([
      report({ 'no-hard-reload': 'fail' }, 'releases-symlink'),
      { ...report({ 'no-hard-reload': 'fail' }, 'releases-symlink'), world: 'single-origin' },
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'skew-junit-')), 'junit.xml');
    writeFileSync(file, xml);
    expect(parse({ type: 'junit', files: [file] }).suites.map((s) => s.name)).toEqual([
      'roll-forward [releases-symlink]',
      'roll-forward [releases-symlink, single-origin]',
    ]);
    expect(xml).toContain('<property name="world" value="pinned"/>');
    expect(xml).toContain('<property name="world" value="single-origin"/>');
  });

  it('merges the shards of a run into one file a JUnit parser reads as the whole', () => {
    const one = toJUnit([report({ 'no-chunk-load-error': 'fail', 'cache-status': 'pass' })]);
    const two = toJUnit([report({ 'cache-status': 'pass', 'no-hard-reload': 'inconclusive' }, 'releases-symlink')]);
    const merged = mergeJUnit([one, two, toJUnit([])]);
    const file = join(mkdtempSync(join(tmpdir(), 'skew-junit-')), 'junit.xml');
    writeFileSync(file, merged);
    const r = parse({ type: 'junit', files: [file] });
    expect(r).toMatchObject({ total: 4, passed: 2, failed: 1, errors: 1 });
    expect(r.suites.map((s) => s.name)).toEqual(['roll-forward [replace-in-place]', 'roll-forward [releases-symlink]']);
    expect(merged).toMatch(/<testsuites name="skew" tests="4" failures="1" errors="1" time="18.200">/);
  });
});
