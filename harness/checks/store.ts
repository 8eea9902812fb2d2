import { ofType, type Stamped } from '../core/history.ts';

/** The object store at the end, replayed from the recorded uploads and deletions (keys under `<app>/_next/static/`). */
export function objectsAtEnd(events: readonly Stamped[]): Set<string> {
  const store = new Set<string>();
  for (const c of ofType(events, 'bucket')) {
    for (const k of c.uploaded) store.add(k);
    for (const k of c.deleted) store.delete(k);
  }
  return store;
}

/** Versions in the order they went live by a successful deploy, each once (a redeploy keeps its first place). */
export function deployOrder(events: readonly Stamped[]): string[] {
  return [
    ...new Set(
      ofType(events, 'deployer')
        .filter((d) => d.ok && d.action === 'deploy')
        .map((d) => d.version),
    ),
  ];
}
