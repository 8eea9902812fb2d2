/**
 * Async teardown that must happen even when the user presses Ctrl-C mid-run: the CLI calls
 * `runCleanups()` from its SIGINT handler before exiting. Child processes are also covered by
 * the synchronous exit hook in children.ts; containers and browsers need this async path.
 */
const cleanups = new Map<number, { name: string; fn: () => Promise<void> }>();
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
  for (const [, c] of all) {
    const r = await Promise.race([
      c.fn().then(
        () => 'ok',
        (e: unknown) => `${c.name}: ${e instanceof Error ? e.message : String(e)}`,
      ),
      new Promise<string>((res) => setTimeout(() => res(`${c.name}: teardown timed out after ${timeoutMs} ms`), timeoutMs).unref()),
    ]);
    if (r !== 'ok') problems.push(r);
  }
  return problems;
}
