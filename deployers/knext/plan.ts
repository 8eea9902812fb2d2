/**
 * The GC's decision as a pure function of the store listing and the live set, so the deployers
 * (on a real directory) and the property test (on thousands of random histories) run the same
 * code. Keys are relative to `<app>/_next/static/`; `<app>/` itself is the key prefix "..".
 */
export interface StoreObject {
  key: string;
  /** Upload time, ms. */
  uploaded: number;
}

export interface GcPolicy {
  /** Keep the newest N build ids (storage.assetRetention, default 3). */
  retention: number;
  /** OR keep every build id in the live set (the document). `false`: the window-only mistake. */
  keepLive: boolean;
  /** Skip the whole GC when a live revision cannot be resolved (the document's fail-safe). */
  failSafe: boolean;
  /** Mistake: any top-level folder counts as a build id, `chunks/` and `css/` included. */
  sharedAsBuildId?: boolean;
  /**
   * Mistake: build ids are the top-level folders but these, the shared ones of the output the GC
   * was written against (`chunks/` alone: webpack also writes `css/`, both bundlers `media/`).
   */
  reservedOnly?: readonly string[];
  /** Mistake: deletes keys that merely start with a doomed id (`v1` also takes `v10/…`). */
  prefixMatch?: boolean;
  /** Mistake: a failed status read is taken as "no traffic, app gone": delete the bare `<app>/` prefix. */
  teardownWhenNoTraffic?: boolean;
  /** Mistake: also sweeps shared objects uploaded before the oldest kept build-id folder. */
  sweepByAge?: boolean;
  /** Mistake: "newest" by build id as a string (ids that happen to sort like deploys), not by upload time. */
  sortById?: boolean;
}

export interface GcPlan {
  /** Why nothing was deleted, when the GC was skipped. */
  skipped?: string;
  kept: string[];
  doomed: string[];
  /** Object keys to delete ("*" = the whole `<app>/` prefix). */
  deleteKeys: string[];
}

const SHARED = new Set(['chunks', 'css', 'media']);
const top = (key: string) => key.split('/')[0]!;

/** Build-id folders, newest upload first: those holding a `_buildManifest.js` (or any folder, with sharedAsBuildId). */
export function buildIds(
  objects: StoreObject[],
  policy: Pick<GcPolicy, 'sharedAsBuildId' | 'reservedOnly' | 'sortById'> = {},
): { id: string; uploaded: number }[] {
  const by = new Map<string, number>();
  for (const o of objects) {
    const id = top(o.key);
    if (!o.key.includes('/')) continue;
    const isFolder = policy.sharedAsBuildId
      ? true
      : policy.reservedOnly
        ? !policy.reservedOnly.includes(id)
        : !SHARED.has(id) && o.key === `${id}/_buildManifest.js`;
    // A folder's upload time is its first object's: when the prefix appeared.
    if (isFolder) by.set(id, Math.min(by.get(id) ?? Infinity, o.uploaded));
  }
  const folders = [...by].map(([id, uploaded]) => ({ id, uploaded }));
  if (policy.sortById) return folders.sort((a, b) => b.id.localeCompare(a.id));
  return folders.sort((a, b) => b.uploaded - a.uploaded || b.id.localeCompare(a.id));
}

export interface LiveSet {
  resolved: string[];
  unresolved: string[];
  /** The traffic table could not be read at all. */
  readFailed?: boolean;
}

export function planGc(objects: StoreObject[], live: LiveSet, policy: GcPolicy): GcPlan {
  if (policy.teardownWhenNoTraffic && live.readFailed) return { kept: [], doomed: [], deleteKeys: ['*'] };
  if (policy.keepLive && policy.failSafe && live.readFailed)
    return { skipped: 'the traffic table could not be read', kept: [], doomed: [], deleteKeys: [] };
  if (policy.keepLive && policy.failSafe && live.unresolved.length) {
    return {
      skipped: `live revision(s) ${live.unresolved.join(', ')} cannot be resolved to a build id`,
      kept: [],
      doomed: [],
      deleteKeys: [],
    };
  }
  const folders = buildIds(objects, policy);
  const keep = new Set([...folders.slice(0, policy.retention).map((f) => f.id), ...(policy.keepLive ? live.resolved : [])]);
  const doomed = folders.filter((f) => !keep.has(f.id)).map((f) => f.id);
  const inDoomed = (key: string) => doomed.some((id) => (policy.prefixMatch ? key.startsWith(id) : top(key) === id));
  const deleteKeys = new Set(objects.filter((o) => inDoomed(o.key)).map((o) => o.key));
  if (policy.sweepByAge) {
    const oldestKept = Math.min(...folders.filter((f) => keep.has(f.id)).map((f) => f.uploaded));
    for (const o of objects) if (SHARED.has(top(o.key)) && o.uploaded < oldestKept) deleteKeys.add(o.key);
  }
  return { kept: [...keep], doomed, deleteKeys: [...deleteKeys].sort() };
}
