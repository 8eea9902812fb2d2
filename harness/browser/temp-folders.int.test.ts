import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { History } from '../core/history.ts';
import { BrowserPool } from './pool.ts';
import { Session } from './session.ts';

/**
 * A trace running when the browser goes (an interrupt's teardown, a second signal) used to
 * leave an empty `playwright-tracing-*` folder in TMPDIR per session: Playwright makes one per
 * started trace in the harness's process and removes it only when that trace is stopped. Each
 * case runs under a TMPDIR of its own and expects it empty afterwards (the browser's and
 * Playwright's temp folders, and skew's own traces folder, gone).
 */
const REPO = resolve(import.meta.dirname, '..', '..');
const temps: string[] = [];
const savedTmpdir = process.env.TMPDIR;
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A short TMPDIR (Chromium's singleton socket path must fit) that only this case writes to. */
function privateTmp(): string {
  const t = mkdtempSync('/tmp/skew-tf-');
  temps.push(t);
  return t;
}

/** What is left in a TMPDIR, but for what tsx keeps on purpose (its compile cache). */
const leftIn = (tmp: string) => readdirSync(tmp).filter((d) => !/^(tsx-\d+|node-compile-cache)$/.test(d));

describe("the browser's temp folders", () => {
  it('go when the workers’ browsers are closed under running traces (an interrupt’s teardown)', async () => {
    const tmp = privateTmp();
    // os.tmpdir() is read at each call: Playwright, in this process, makes its folders here.
    process.env.TMPDIR = tmp;
    const pool = new BrowserPool();
    const browser = await pool.get();
    // As a run does with traces on: a session recording, and a tab prepared ahead for a step
    // that never came (closed with its context, its trace never stopped).
    const session = await Session.open(browser, 'app-a', new History(), { trace: true });
    const prepared = await Session.prepare(browser, 'app-b', { trace: true });
    expect(readdirSync(tmp).length).toBeGreaterThan(0);
    await prepared.context.close();
    // A trace kept for the evidence is still written whole from skew's traces folder.
    const kept = await Session.open(browser, 'app-c', new History(), { trace: true });
    const zip = join(tmp, 'app-c.zip');
    expect(await kept.close(zip)).toBe(true);
    expect(statSync(zip).size).toBeGreaterThan(0);
    rmSync(zip);
    // The interrupt's teardown: `the workers' browsers` closes the pool, the session's trace
    // still running (its run's teardown did not get to stop it).
    await pool.close();
    expect(session).toBeDefined();
    expect(leftIn(tmp)).toEqual([]);
  });

  it('go when the harness exits at once with traces running (a second signal)', async () => {
    const tmp = privateTmp();
    const script = join(tmp, 'exit-now.mts');
    writeFileSync(
      script,
      `import { launchBrowser } from ${JSON.stringify(join(REPO, 'harness/browser/launch.ts'))};
const browser = await launchBrowser();
const context = await browser.newContext();
await context.tracing.start({ screenshots: true, snapshots: true, title: 'app-a' });
await (await context.newPage()).setContent('<p>up</p>');
// bin/skew.mjs on a second signal: process.exit with the teardown not done.
process.exit(130);
`,
    );
    const code = await new Promise<number | null>((res, rej) => {
      const c = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO, env: { ...process.env, TMPDIR: tmp }, stdio: 'inherit' });
      c.once('error', rej);
      c.once('exit', res);
    });
    expect(code).toBe(130);
    rmSync(script);
    expect(leftIn(tmp)).toEqual([]);
  });
});
