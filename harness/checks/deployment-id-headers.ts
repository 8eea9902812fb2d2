import { ofType } from '../core/history.ts';
import { capped, pathOf, type Check } from './check.ts';
import { requestPinProblems, tabBuildAt } from './tab-builds.ts';

/**
 * Next's own skew detection, end to end through the deploy's proxies: each RSC, data and Server
 * Action request leaves with the tab's deployment id (`x-deployment-id`, `?dpl=`), and each RSC
 * and `/_next/data` answer comes back with the `x-nextjs-deployment-id` of the build that
 * answered. Without that header Next cannot tell another build's answer from its own (the
 * build id in the path is the same for every build unless `generateBuildId` differs), and merges
 * it in. Not judged for builds without a deployment id: Next sets neither.
 */
export const deploymentIdHeaders: Check = {
  name: 'deployment-id-headers',
  description:
    "RSC, data and Server Action requests carry the tab's deployment id, and RSC and /_next/data answers the x-nextjs-deployment-id of the build that answered",
  fix: "something between the browser and Next (the CDN's rules, the team's nginx, a proxy) drops or rewrites Next's deployment-id headers: pass x-deployment-id through to the app and x-nextjs-deployment-id back to the browser untouched (no proxy_hide_header, no header allow-list without them)",
  judge(input) {
    const { events, versions } = input;
    if (Object.values(versions).some((v) => v.withoutDeploymentId))
      return { verdict: 'inconclusive', evidence: ['built without a deployment id: Next sets no deployment-id header to judge'] };
    const tabAt = tabBuildAt(input);
    // Static files are build-id-pinning's: a tab that got another build's answer preloads that
    // build's files (with its ?dpl=) before Next refuses the answer.
    const { requests, problems: bad } = requestPinProblems(input, 'server');
    const answers = ofType(events, 'response').filter(
      (r) => r.status === 200 && (r.rsc || new URL(r.url).pathname.startsWith('/_next/data/')),
    );
    // Next sets x-nextjs-deployment-id on its answers from 16 on; before, only the requests carry the id.
    const answersNamed = Object.values(versions).every((v) => (v.nextMajor ?? 16) >= 16);
    if (answersNamed)
      for (const r of answers)
        if (!r.deployment)
          bad.push(`session ${r.session}: the answer to ${pathOf(r.url)} has no x-nextjs-deployment-id (Next sets it there)`);
    if (bad.length) return { verdict: 'fail', evidence: capped([...new Set(bad)], 15) };
    if (requests.length === 0) return { verdict: 'inconclusive', evidence: ['no browser request to judge'] };
    const foreign = answers.filter((r) => r.deployment && r.deployment !== tabAt(r.session, r.t)).length;
    return {
      verdict: 'pass',
      evidence: [
        answersNamed
          ? `${requests.length} request(s) carried their tab's id; ${answers.length} RSC/data answer(s) named the build that answered${foreign ? ` (${foreign} another build's, which Next then refused)` : ''}`
          : `${requests.length} request(s) carried their tab's id; the answers were not judged: Next before 16 sets no x-nextjs-deployment-id on them`,
      ],
    };
  },
};
