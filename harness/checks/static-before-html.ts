import { ofType } from '../core/history.ts';
import { capped, stepAt, type Check } from './check.ts';
import { staticAnswers } from './no-cached-404.ts';

/**
 * While a version is being deployed, nobody gets a 404 for that version's own static files:
 * its `_next/static` must be in place before its HTML is served. Needs traffic during the
 * deploy (a deploy step with `visitDuring`).
 */
export const staticBeforeHtml: Check = {
  name: 'static-before-html',
  description: "while a version deploys, no visitor gets a 404 for that version's static files (static first, then HTML)",
  fix: "upload/install a release's static files before its HTML goes live (before switching current, reloading the app and purging HTML)",
  judge({ events, versions }) {
    const starts = ofType(events, 'step').filter((s) => s.kind === 'deploy' && s.phase === 'start');
    const ends = ofType(events, 'step').filter((s) => s.kind === 'deploy' && s.phase === 'end');
    const deploys = ofType(events, 'deployer').filter((d) => d.action === 'deploy');
    const answers = staticAnswers(events);
    const bad: string[] = [];
    let seen = 0;
    for (const d of deploys) {
      const start = starts.filter((s) => s.t <= d.t).at(-1)?.t ?? 0;
      const end = ends.find((s) => s.t >= d.t)?.t ?? Infinity;
      const ids = versions[d.version];
      if (!ids) continue;
      const own = answers.filter(
        (a) => a.t >= start && a.t <= end && (a.url.includes(`dpl=${ids.deploymentId}`) || a.url.includes(`/${ids.buildId}/`)),
      );
      seen += own.length;
      for (const a of own.filter((x) => x.status === 404))
        bad.push(
          `${a.who} got 404 for ${a.url} while ${d.version} was deploying (${stepAt(events, a.t) ?? 'deploy'}): ${d.version}'s HTML was live before its static files`,
        );
    }
    if (bad.length) return { verdict: 'fail', evidence: capped([...new Set(bad)], 15) };
    if (seen === 0)
      return {
        verdict: 'inconclusive',
        evidence: ["nobody asked for a deploying version's static files mid-deploy (give a deploy step visitDuring: '/')"],
      };
    return { verdict: 'pass', evidence: [`${seen} requests for the deploying version's static files mid-deploy, all answered`] };
  },
};
