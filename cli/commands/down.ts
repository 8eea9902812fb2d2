import { formatError, HarnessError } from '../../harness/errors/harness-error.ts';
import { holderOf, readKept, removeKept } from '../../harness/run/kept.ts';
import { waitFor } from '../../harness/io/wait.ts';
import { removeStaleStacks } from '../../harness/run/stale-stacks.ts';
import { EXIT, type Io } from '../io.ts';

/**
 * `skew down`: tears down every stack `skew repro --keep` holds under ./runs. The holding
 * process gets SIGTERM and tears down itself (nginx, origins, containers, browser); we wait until
 * it is gone. A record whose holder died is removed with a pointer to scripts/reap.sh, and so
 * are the release copies of runs that died without their teardown.
 *
 * Nothing is signalled on a record's word alone: a record that is not one skew wrote (not JSON,
 * a negative pid, which kill(2) takes as a process group) is named and skipped, and a pid is
 * signalled only while it is still the process that wrote the record (`holderOf`), never a
 * process that got the pid after the holder died.
 */
export async function downCommand(io: Io): Promise<number> {
  const runsDir = `${io.cwd}/runs`;
  const kept = await readKept(runsDir);
  // Release copies of runs that died without a teardown (SIGKILL, a crashed runner).
  for (const s of await removeStaleStacks(runsDir))
    io.out(`${s.runId}: removed the release copies its run left when it died (${(s.bytes / 1e6).toFixed(1)} MB)\n`);
  if (kept.length === 0) {
    io.out('nothing to tear down (no stack kept by `skew repro --keep` under ./runs)\n');
    return EXIT.pass;
  }
  let code: number = EXIT.pass;
  for (const entry of kept) {
    if ('invalid' in entry) {
      // Left in place: it may be someone's, and its holder (if any) removes it when it ends.
      code = Math.max(code, EXIT.usage);
      const e = new HarnessError(
        'INVALID_KEPT_RECORD',
        `${entry.file} is not a record skew wrote: ${entry.invalid}`,
        'it was skipped and nothing was signalled. If no `skew repro --keep` holds that run any more, delete the file; `bash scripts/reap.sh` removes what such a run may have left',
      );
      io.err(`${formatError(e)}\n`);
      continue;
    }
    const { file, record } = entry;
    const holder = holderOf(record, runsDir);
    if (holder.state === 'gone') {
      await removeKept(file);
      io.err(`${record.runId}: its holder (pid ${record.pid}) is gone; if anything of it is left, \`bash scripts/reap.sh\` removes it\n`);
      continue;
    }
    if (holder.state === 'other') {
      // The holder died and its pid went to another process: that one is none of ours.
      await removeKept(file);
      io.err(
        `${record.runId}: pid ${record.pid} is not the skew process that kept this run (${holder.why}): not signalled, record removed; if anything of the run is left, \`bash scripts/reap.sh\` removes it\n`,
      );
      continue;
    }
    if (holder.state === 'unknown') {
      code = Math.max(code, EXIT.environment);
      io.err(
        `${record.runId}: cannot tell whether pid ${record.pid} is the skew process that kept this run (${holder.why}): not signalled; stop that \`skew repro\` with Ctrl-C where it runs\n`,
      );
      continue;
    }
    process.kill(record.pid, 'SIGTERM');
    try {
      // Gone, or (after it exited) its pid taken by another process: either way it is done.
      await waitFor(`skew repro (pid ${record.pid}) to tear down ${record.runId}`, () => holderOf(record, runsDir).state !== 'holder', {
        timeoutMs: 30_000,
      });
      await removeKept(file);
      io.out(`${record.runId}: torn down (edge ${record.edgeUrl})\n`);
    } catch (e) {
      code = Math.max(code, EXIT.environment);
      io.err(`${record.runId}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  return code;
}
