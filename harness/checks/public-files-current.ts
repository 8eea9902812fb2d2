import { ofType } from '../core/history.ts';
import { capped, type Check } from './check.ts';

/**
 * public/ files served by the edge are the current version's (rollback document, "public/ Assets
 * During Rollback"): their URLs carry no hash, so a changed file stays cached until purged.
 */
export const publicFilesCurrent: Check = {
  name: 'public-files-current',
  description: "public/ files fetched through the edge are the current version's (changed ones were purged)",
  fix: 'public/ files carry no hash: purge exactly the public paths that changed between the two releases after a deploy or rollback',
  judge({ events }) {
    const probes = ofType(events, 'public-probe');
    if (probes.length === 0) return { verdict: 'inconclusive', evidence: ['no public file was probed (add a probePublic step)'] };
    // A file identical in both versions matches both ("A/B"): that is the current one too.
    const stale = probes.filter((p) => p.currentVersion && p.servedVersion && !p.servedVersion.split('/').includes(p.currentVersion));
    const unknown = probes.filter((p) => p.status !== 200 || !p.servedVersion);
    const bad = [
      ...stale.map(
        (p) =>
          `${p.path}: served version ${p.servedVersion}'s file while ${p.currentVersion} is current (CF-Cache-Status ${p.cache ?? '-'}, Age ${p.age ?? '-'}): purge the public paths that changed`,
      ),
      ...unknown.map((p) => `${p.path}: ${p.status}, content matches no version`),
    ];
    if (bad.length) return { verdict: 'fail', evidence: capped(bad) };
    return { verdict: 'pass', evidence: [`${probes.length} public file request(s), each served the current version's file`] };
  },
};
