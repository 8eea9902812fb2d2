import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { childEnv, leftovers, workDir } from './support.ts';

/**
 * The documented example of `skew/playwright` (examples/playwright), run the way a team runs
 * it: its own `npx playwright test -c …` with options from its playwright.config.ts. With the
 * good deployer both specs pass; with a broken one (the negative control) both fail with the
 * checks' evidence, and the failing sessions' traces are attached.
 */
const CONFIG = resolve('examples/playwright/playwright.config.ts');

function runExample(out: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [resolve('node_modules/@playwright/test/cli.js'), 'test', '-c', CONFIG], {
    cwd: resolve('.'),
    // A nested run must not think it is a worker of this one.
    env: {
      ...childEnv(out, Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEST_') && !k.startsWith('PW_')))),
      SKEW_EXAMPLE_OUTPUT: join(out, 'results'),
      SKEW_EXAMPLE_REPORT: join(out, 'report'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise<{ code: number | null; output: string }>((r) => child.once('exit', (code) => r({ code, output })));
}

function files(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
    : [];
}

test('the example spec passes with the good deployer, with its history and timeline attached', async () => {
  test.setTimeout(8 * 60_000);
  const out = workDir('pw-example-good');
  const { code, output } = await runExample(out, { SKEW_DEPLOYER: 'releases-symlink' });
  expect(output, output).toContain('2 passed');
  expect(code).toBe(0);
  const all = files(join(out, 'results'));
  // Each test gets its own history and timeline; nobody failed, so no trace was kept.
  expect(all.filter((f) => f.endsWith('skew-history.jsonl'))).toHaveLength(2);
  const html = all.filter((f) => f.endsWith('skew-report.html'));
  expect(html).toHaveLength(2);
  expect(readFileSync(html[0]!, 'utf8')).toContain('class="verdict pass"');
  expect(all.filter((f) => f.endsWith('.zip'))).toEqual([]);
  // Worker teardown stopped nginx, the origins and the browser (its profile is under out/tmp).
  expect(leftovers(out)).toEqual([]);
});

test('negative control: with replace-in-place both example specs fail with evidence and a trace of each failing session', async () => {
  test.setTimeout(8 * 60_000);
  const out = workDir('pw-example-broken');
  const { code, output } = await runExample(out, { SKEW_DEPLOYER: 'replace-in-place' });
  expect(code, output).toBe(1);
  expect(output).toContain('2 failed');
  expect(output).toContain('SkewCheckError: skew checks did not pass');
  expect(output).toMatch(/FAIL no-chunk-load-error/);
  expect(output).toMatch(/404 \/_next\/static\/chunks\/\S+\?dpl=/);
  const traces = files(join(out, 'results')).filter((f) => /trace-(alice|on-b)\.zip$/.test(f));
  expect(traces.map((f) => f.match(/trace-([\w-]+)\.zip$/)![1]).sort()).toEqual(['alice', 'on-b']);
  // A real Playwright trace: a zip holding the trace events of that browser context.
  for (const t of traces) {
    const zip = readFileSync(t);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('trace.trace'))).toBe(true);
  }
  const report = files(join(out, 'results')).find(
    (f) => f.endsWith('skew-report.html') && f.includes('tab-open-on-A') && !f.includes('attachments'),
  )!;
  const html = readFileSync(report, 'utf8');
  expect(html).toContain('class="verdict fail"');
  expect(html).toContain('href="trace-alice.zip"');
  // Attached as `trace`: Playwright's own HTML report opens them in its trace viewer.
  expect(existsSync(join(out, 'report', 'index.html'))).toBe(true);
  expect(files(join(out, 'results')).filter((f) => /attachments\/trace-[0-9a-f]{40}\.zip$/.test(f))).toHaveLength(2);
  expect(leftovers(out)).toEqual([]);
});
