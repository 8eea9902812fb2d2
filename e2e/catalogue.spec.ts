import { expect, test } from '@playwright/test';
import { summary } from '../cli/commands/run.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { CATALOGUE } from '../scenarios/index.ts';
import { cdnKinds, leftoverContainers, leftovers, RUNS_DIR } from './support.ts';

/**
 * The catalogue against both reference deployers: the one that follows the rollback document
 * must pass every check, the broken one must fail with the evidence a user needs (the
 * ChunkLoadError, the 404 URL, the session that hit it). The broken deployer is the negative
 * control proving the detectors fire on real builds in a real browser.
 */
for (const cdn of cdnKinds()) {
  for (const scenario of CATALOGUE) {
    test(`${scenario.name} [${cdn}]: releases-symlink keeps every session working`, async () => {
      const r = await runScenario({ scenario, deployer: 'releases-symlink', cdn, runsDir: RUNS_DIR });
      expect(r.verdict, summary(r)).toBe('pass');
      expect(r.checks.map((c) => c.verdict)).not.toContain('inconclusive');
      expect(leftovers(r.runDir)).toEqual([]);
    });

    test(`${scenario.name} [${cdn}]: replace-in-place is caught with ChunkLoadError evidence`, async () => {
      const r = await runScenario({ scenario, deployer: 'replace-in-place', cdn, runsDir: RUNS_DIR });
      const text = summary(r);
      expect(r.verdict, text).toBe('fail');
      const chunk = r.checks.find((c) => c.check === 'no-chunk-load-error')!;
      expect(chunk.verdict, text).toBe('fail');
      // Which session, which failure, which URL answered 404.
      expect(chunk.evidence.join('\n')).toMatch(/session app-\S+ .*chunk-load-error for \/_next\/static\/\S+/);
      expect(chunk.evidence.join('\n')).toMatch(/404 \/_next\/static\/\S+/);
      expect(r.checks.find((c) => c.check === 'old-assets-survive')?.verdict, text).toBe('fail');
      expect(r.checks.find((c) => c.check === 'cache-status')?.evidence.join('\n'), text).toContain('purged hashed static assets (purge_everything)');
      expect(leftovers(r.runDir)).toEqual([]);
    });
  }
}

test.afterAll(() => {
  expect(leftoverContainers()).toEqual([]);
});
