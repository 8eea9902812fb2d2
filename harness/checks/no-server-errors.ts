import { ofType } from '../core/history.ts';
import { appOwnFailures, firstChange } from './app-own-errors.ts';
import { capped, pathOf, stepAt, type Check } from './check.ts';

/** Pages and their data requests never answered 5xx (a version running against a database it cannot read does). */
export const noServerErrors: Check = {
  name: 'no-server-errors',
  description: 'no page, RSC or data request of a browser session was answered with a 5xx',
  worlds: {
    'single-origin': "also a deployer's nginx route to a server that is not running (the origin nginx answers 502)",
    rolling: "also a deployer's ingress route to pods it already stopped (502), or a rollout that left no pod serving",
  },
  fix: "a page answered 5xx: the code that served it could not run against the current state (e.g. a schema it cannot read); see the origin log in the run's logs/",
  judge({ events }) {
    const answers = ofType(events, 'response').filter((r) => r.resource === 'document' || r.resource === 'fetch' || r.resource === 'xhr');
    if (answers.length === 0) return { verdict: 'inconclusive', evidence: ['no browser session loaded a page'] };
    const all = answers.filter((r) => r.status >= 500);
    const own = appOwnFailures(events, firstChange(events));
    const errors = all.filter((r) => !own.isOwn(r));
    const owned = all.length - errors.length;
    // Said, never hidden: what the app fails on alone is for the team to fix, not the deploy.
    const ownNote = owned
      ? [
          `not judged: ${owned} answer(s) the app already gave on the first build alone, before any deploy changed it (${own.seen.filter((k) => k.startsWith('5')).join(', ')}): its own setup (secrets, env, network), not the deploy`,
        ]
      : [];
    if (errors.length === 0)
      return {
        verdict: 'pass',
        // One line: the terminal shows a passing check's first line only.
        evidence: [`${answers.length} page/data answers, none 5xx${owned ? ` that the deploys caused; ${ownNote[0]}` : ''}`],
      };
    return {
      verdict: 'fail',
      evidence: [
        ...capped(
          errors.map(
            (e) =>
              `session ${e.session}: ${e.status} for ${pathOf(e.url)} during ${stepAt(events, e.t) ?? 'the run'}${e.deployment ? ` (deployment ${e.deployment})` : ''}`,
          ),
        ),
        ...ownNote,
      ],
    };
  },
};
