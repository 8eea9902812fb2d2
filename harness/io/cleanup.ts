/**
 * Async teardown that must happen even when the user presses Ctrl-C mid-run: the CLI calls
 * `runCleanups()` from its SIGINT handler before exiting. Child processes are also covered by
 * the synchronous exit hook in children.ts; containers and browsers need this async path.
 */
const cleanups = new Map<number, { name: string; fn: () => Promise<void> }>();
/** Teardowns runCleanups has not finished yet (started or waiting), by name. */
const unfinished = new Set<string>();
let seq = 0;

export function onCleanup(name: string, fn: () => Promise<void>): () => void {
  const id = ++seq;
  cleanups.set(id, { name, fn });
  return () => void cleanups.delete(id);
}

/** Runs every registered teardown (newest first), each bounded, errors collected not thrown. */
export async function runCleanups(timeoutMs = 10_000): Promise<string[]> {
  const problems: string[] = [];
  const all = [...cleanups.entries()].reverse();
  cleanups.clear();
  for (const [, c] of all) unfinished.add(c.name);
  for (const [, c] of all) {
    const r = await Promise.race([
      c.fn().then(
        () => 'ok',
        (e: unknown) => `${c.name}: ${e instanceof Error ? e.message : String(e)}`,
      ),
      new Promise<string>((res) => setTimeout(() => res(`${c.name}: teardown timed out after ${timeoutMs} ms`), timeoutMs).unref()),
    ]);
    unfinished.delete(c.name);
    if (r !== 'ok') problems.push(r);
  }
  return problems;
}

/** What a teardown cut short now would leave: teardowns not finished, and those not yet run. */
export function pendingCleanups(): string[] {
  return [...new Set([...unfinished, ...[...cleanups.values()].map((c) => c.name)])];
}
