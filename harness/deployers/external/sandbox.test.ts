import { describe, expect, it } from 'vitest';
import { confinement, loopbackPorts, refusedWrites } from './sandbox.ts';

describe('the deployer sandbox', () => {
  it("opens exactly the loopback ports the contract's URLs name", () => {
    expect(
      loopbackPorts({
        SITE_URL: 'http://127.0.0.1:41000',
        SKEW_EDGE_URLS: 'http://127.0.0.1:41000 http://127.0.0.1:41001',
        CF_API_BASE: 'http://127.0.0.1:41010/client/v4',
        SKEW_PM_URL: 'http://localhost:41020',
        SKEW_DEPLOY_ROOT: '/runs/x/stack/deploy',
        DOMAIN: '127.0.0.1',
      }),
    ).toEqual([41000, 41001, 41010, 41020]);
  });

  it("finds the writes the sandbox refused in a deployer's output, in sh, coreutils and Node wording", () => {
    expect(
      refusedWrites([
        'deploy: buildId a-1',
        "cp: cannot create regular file '/tmp/x': Read-only file system",
        'sh: 1: cannot create /work/nope: Read-only file system',
        "Error: EROFS: read-only file system, open '/etc/x'",
      ]),
    ).toHaveLength(3);
  });

  it('binds / read-only, the given folders read-write, and hides every socket under /run by construction', () => {
    const args = confinement(['/runs/a b/deploy', '/runs/a b/tmp'], '/runs/a b/deploy', true);
    expect(args.slice(0, 3)).toEqual(['--ro-bind', '/', '/']);
    expect(args.join(' ')).toContain('--tmpfs /run --tmpfs /var/run');
    expect(args.join('\n')).toContain('--bind\n/runs/a b/deploy\n/runs/a b/deploy');
    expect(args).toEqual(expect.arrayContaining(['--unshare-net', '--unshare-pid', '--cap-drop', 'ALL', '--die-with-parent']));
    // Where /var/run is a link to /run (Debian), the one tmpfs covers both.
    expect(confinement([], '/', false).join(' ')).not.toContain('/var/run');
  });
});
