import { ofType } from '../core/history.ts';
import { capped, type Check } from './check.ts';
import { requestPinProblems } from './tab-builds.ts';

/**
 * What the skew-protection document promises of `generateBuildId` + `deploymentId`:
 * BUILD_ID === NEXT_DEPLOYMENT_ID (so the store prefix `_next/static/<BUILD_ID>/` and the pin are
 * one id), the build-id folder is what the deploy uploaded, and every `/_next/static`, `/_next/data` and RSC
 * request a browser makes carries its build's id (`?dpl=` or `x-deployment-id`).
 */
export const buildIdPinning: Check = {
  name: 'build-id-pinning',
  description: 'BUILD_ID = deployment id = store prefix, and every asset and RSC request carries the id',
  fix: 'make BUILD_ID equal the deployment id (generateBuildId: () => process.env.NEXT_DEPLOYMENT_ID with deploymentId set; Next 16.2–16.3 ignore generateBuildId when deploymentId is set — upgrade to 16.4+), and keep ?dpl= / x-deployment-id on every asset and RSC request',
  judge({ events, versions }) {
    const bad: string[] = [];
    const ok: string[] = [];
    // Builds that share one BUILD_ID (Next 16 without generateBuildId) share one manifest folder.
    const byBuildId = Map.groupBy(Object.entries(versions), ([, b]) => b.buildId);
    for (const [id, vs] of byBuildId) {
      if (vs.length > 1)
        bad.push(
          `versions ${vs.map(([v]) => v).join(' and ')} share BUILD_ID "${id}" (the app sets no generateBuildId): both write _next/static/${id}/_buildManifest.js, so a store or CDN that keeps both builds serves one build's manifest to the other's tabs`,
        );
    }
    for (const [v, b] of Object.entries(versions)) {
      if (b.buildId !== b.deploymentId)
        bad.push(
          `version ${v}: .next/BUILD_ID is "${b.buildId}" but the deployment id is "${b.deploymentId}": the store prefix and the pin are different ids`,
        );
    }
    const uploads = ofType(events, 'bucket').flatMap((e) => e.uploaded);
    for (const d of ofType(events, 'deployer').filter((e) => e.ok && e.action === 'deploy')) {
      const ids = versions[d.version];
      if (!ids || uploads.length === 0) continue;
      if (!uploads.some((k) => k.startsWith(`${ids.buildId}/`)))
        bad.push(`version ${d.version}: no object under the store prefix ${ids.buildId}/ was uploaded`);
    }
    const { requests, problems } = requestPinProblems({ events, versions });
    bad.push(...problems);
    if (requests.length)
      ok.push(`${requests.length} asset/RSC requests, ${requests.filter((r) => r.rsc).length} of them RSC: all carry their build's id`);
    ok.unshift(`BUILD_ID = deployment id for ${Object.keys(versions).join(', ')}`);
    if (bad.length) return { verdict: 'fail', evidence: capped([...new Set(bad)], 15) };
    if (!requests.length) return { verdict: 'inconclusive', evidence: [...ok, 'no browser request to judge'] };
    return { verdict: 'pass', evidence: ok };
  },
};
