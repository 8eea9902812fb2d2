import { alive, readKept, removeKept } from '../../harness/run/kept.ts';
import { waitFor } from '../../harness/io/wait.ts';
import { removeStaleStacks } from '../../harness/run/stale-stacks.ts';
import { EXIT, type Io } from '../io.ts';

/**
 * `skew down`: tears down every stack `skew repro --keep` holds under ./runs. The holding
 * process gets SIGTERM and tears down itself (nginx, origins, containers, browser); we wait until
 * it is gone. A record whose holder died is removed with a pointer to scripts/reap.sh, and so
 * are the release copies of runs that died without their teardown.
 */
export async function downCommand(io: Io): Promise<number> {
  const kept = await readKept(`${io.cwd}/runs`);
  // Release copies of runs that died without a teardown (SIGKILL, a crashed runner).
  for (const s of await removeStaleStacks(`${io.cwd}/runs`))
    io.out(`${s.runId}: removed the release copies its run left when it died (${(s.bytes / 1e6).toFixed(1)} MB)\n`);
  if (kept.length === 0) {
    io.out('nothing to tear down (no stack kept by `skew repro --keep` under ./runs)\n');
    return EXIT.pass;
  }
  let code: number = EXIT.pass;
  for (const { file, record } of kept) {
    if (!alive(record.pid)) {
      await removeKept(file);
      io.err(`${record.runId}: its holder (pid ${record.pid}) is gone; if anything of it is left, \`bash scripts/reap.sh\` removes it\n`);
      continue;
    }
    process.kill(record.pid, 'SIGTERM');
    try {
      await waitFor(`skew repro (pid ${record.pid}) to tear down ${record.runId}`, () => !alive(record.pid), { timeoutMs: 30_000 });
      await removeKept(file);
      io.out(`${record.runId}: torn down (edge ${record.edgeUrl})\n`);
    } catch (e) {
      code = EXIT.environment;
      io.err(`${record.runId}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  return code;
}
