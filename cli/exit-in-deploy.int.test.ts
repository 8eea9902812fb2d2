import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { oneDeploy } from '../test/one-deploy.ts';
import type { Io } from './io.ts';
import { main } from './main.ts';

/**
 * A module deployer whose deploy() calls process.exit(0), through the whole CLI in-process (a
 * real build, stack and browser): the run is torn down and judged, the command exits 70.
 */
it('process.exit inside a module deployer’s deploy() tears the run down, writes its report and exits 70 naming the caller', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'skew-exit-deploy-'));
  const mod = join(cwd, 'deployer.mjs');
  writeFileSync(
    mod,
    "export default { name: 'exits', description: 'x', reference: 'external',\n  deploy: async () => {\n    process.exit(0);\n  },\n  rollback: async () => {} };\n",
  );
  writeFileSync(join(cwd, 'scenario.json'), JSON.stringify(oneDeploy('exit-in-deploy')));
  const out = { stdout: '', stderr: '' };
  const io: Io = {
    env: {},
    cwd,
    isTTY: false,
    out: (t) => {
      out.stdout += t;
    },
    err: (t) => {
      out.stderr += t;
    },
  };
  expect(await main(['run', join(cwd, 'scenario.json'), '--deployer', mod], io), out.stderr).toBe(70);
  expect(out.stderr).toContain(`error EXIT_CALLED: process.exit(0) was called at ${mod}:3 while \`skew run\` was running`);
  const [runId, ...more] = readdirSync(join(cwd, 'runs')).filter((d) => !d.startsWith('.') && d !== 'latest');
  expect(more).toEqual([]);
  const runDir = join(cwd, 'runs', runId!);
  expect(existsSync(join(runDir, 'running.pid')), 'running.pid left behind').toBe(false);
  expect(existsSync(join(runDir, 'stack', 'deploy')), 'the release copies left behind').toBe(false);
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { verdict: string; checks: { evidence: string[] }[] };
  expect(report.verdict).toBe('inconclusive');
  expect(report.checks[0]!.evidence.join('\n')).toContain('process.exit(0) was called at');
}, 300_000);
