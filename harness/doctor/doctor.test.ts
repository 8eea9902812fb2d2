import { describe, expect, it } from 'vitest';
import { diagnose } from './doctor.ts';

describe('skew doctor', () => {
  it('reports every part, and a SKEW_CHROMIUM that does not exist with the fix (negative control)', async () => {
    const findings = await diagnose({ ...process.env, SKEW_CHROMIUM: '/nonexistent/chromium' }, process.cwd());
    expect(findings.map((f) => f.what)).toEqual(
      expect.arrayContaining(['node', 'browser', 'nginx', 'nginx njs module', 'sqlite3', 'docker', 'loopback ports', 'disk']),
    );
    const browser = findings.find((f) => f.what === 'browser')!;
    expect(browser.status).toBe('warn');
    expect(browser.detail).toContain('/nonexistent/chromium does not exist');
    expect(browser.fix).toContain('SKEW_CHROMIUM');
    expect(findings.find((f) => f.what === 'node')!.status).toBe('ok');
  }, 30_000);

  it('says which deployer sandbox is in force: bubblewrap here, the fingerprint with SKEW_SANDBOX=off (negative control)', async () => {
    const sandbox = (await diagnose(process.env, process.cwd())).find((f) => f.what === 'deployer sandbox')!;
    expect(sandbox).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^bubblewrap \(/) });
    const off = (await diagnose({ ...process.env, SKEW_SANDBOX: 'off' }, process.cwd())).find((f) => f.what === 'deployer sandbox')!;
    expect(off).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^fingerprint \(no sandbox: SKEW_SANDBOX=off/) });
    const none = (await diagnose({ ...process.env, PATH: '/nonexistent' }, process.cwd())).find((f) => f.what === 'deployer sandbox')!;
    expect(none.detail).toContain('bubblewrap is not installed');
  }, 60_000);
});
