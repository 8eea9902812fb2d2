import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchCurrent } from './switch-watch.ts';

/** Real switches by real commands on a real directory: what a deployer script runs. */
describe('watchCurrent', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'skew-switch-'));
    await mkdir(join(root, 'releases', 'a'), { recursive: true });
    await mkdir(join(root, 'releases', 'b'), { recursive: true });
    await symlink(join(root, 'releases', 'a'), join(root, 'current'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));
  const sh = async (script: string) => {
    const w = watchCurrent(root);
    // Asynchronously, as the harness runs a deployer: the loop sees each event while it runs.
    await promisify(execFile)('bash', ['-c', script], { cwd: root });
    return w.stop();
  };

  it('sees no gap in a rename over current (mv -Tf, and ln -sfn of coreutils 9)', async () => {
    expect(await sh('ln -s releases/b current.next && mv -Tf current.next current')).toEqual({ switches: 1, gaps: [] });
    expect(await sh('ln -sfn releases/a current')).toEqual({ switches: 1, gaps: [] });
  });

  it('sees current missing while rm; …; ln -s runs', async () => {
    const r = await sh('rm -f current; sleep 0.3; ln -s releases/b current');
    expect(r.switches).toBe(1);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.how).toBe('missing');
    expect(r.gaps[0]!.ms).toBeGreaterThanOrEqual(200);
  });

  it('sees an unlink followed by a new link even when no moment without current was observed', async () => {
    const r = await sh('rm -f current && ln -s releases/b current');
    expect(r.gaps.length).toBe(1);
    expect(['missing', 'delete-then-create']).toContain(r.gaps[0]!.how);
  });

  it('a deploy root it cannot watch is a coded error with the way out, not a crash', () => {
    expect(() => watchCurrent(join(root, 'nope'))).toThrow(expect.objectContaining({ code: 'RUNS_FOLDER_UNUSABLE' }));
  });

  it('sees current left missing at the end of the action', async () => {
    const r = await sh('rm -f current');
    expect(r.gaps).toEqual([{ how: 'missing', ms: expect.any(Number) }]);
  });
});
