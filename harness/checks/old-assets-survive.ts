import { ofType } from '../core/history.ts';
import { capped, type Check } from './check.ts';

/**
 * Every URL of an earlier build's asset manifest still answers 200 through the edge, pinned
 * with `?dpl=` and unpinned: a tab still open on that build can load anything it may need.
 */
export const oldAssetsSurvive: Check = {
  name: 'old-assets-survive',
  description: "every URL of the probed builds' asset manifests answers 200 through the edge, with and without ?dpl",
  worlds: {
    'single-origin':
      "the edge asks the origin nginx, which looks a file up in current, then each kept release, then the merged store: a build's files answer for as long as its release directory (or the store) keeps them",
    rolling:
      "each pod serves only its own build's files: an old build's files answer while its pods run, or when the deployer serves /_next/static from the store in its ingress include",
  },
  fix: "the listed URLs of an older build answered non-200: keep that build's static files (its releases/<id>/.next/static, or its objects in the store) for as long as clients may use it",
  judge({ events }) {
    const probes = ofType(events, 'probe').filter((p) => p.version !== undefined);
    if (probes.length === 0) return { verdict: 'inconclusive', evidence: ['no asset manifest was probed (add a probeAssets step)'] };
    const byVersion = new Map<string, { ok: number; bad: string[] }>();
    for (const p of probes) {
      const v = byVersion.get(p.version!) ?? { ok: 0, bad: [] };
      if (p.status === 200) v.ok++;
      else v.bad.push(`version ${p.version}: ${p.status} ${p.url} (${p.assetKind}, CF-Cache-Status ${p.cache ?? '-'})`);
      byVersion.set(p.version!, v);
    }
    const bad = [...byVersion.values()].flatMap((v) => [...new Set(v.bad)]);
    const summary = [...byVersion].map(([v, r]) => `version ${v}: ${r.ok}/${r.ok + r.bad.length} requests answered 200`);
    return bad.length === 0 ? { verdict: 'pass', evidence: summary } : { verdict: 'fail', evidence: [...summary, ...capped(bad, 15)] };
  },
};
