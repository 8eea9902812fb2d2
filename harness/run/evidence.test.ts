import { mkdir, mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pointLatest } from './evidence.ts';

describe('pointLatest', () => {
  it('survives runs of one process finishing together (parallel workers), leaving latest on one of them', async () => {
    const runs = await mkdtemp(join(tmpdir(), 'skew-latest-'));
    try {
      const dirs = Array.from({ length: 8 }, (_, i) => join(runs, `run-${i}`));
      await Promise.all(dirs.map((d) => mkdir(d)));
      await Promise.all(dirs.map((d) => pointLatest(runs, d)));
      expect(dirs).toContain(await readlink(join(runs, 'latest')));
    } finally {
      await rm(runs, { recursive: true, force: true });
    }
  });
});
