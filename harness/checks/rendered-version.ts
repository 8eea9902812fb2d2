import { ofType } from '../core/history.ts';
import { capped, type Check } from './check.ts';

/**
 * Every user action ended on a page from one build. The app marks its parts with the build that
 * produced them (`data-skew-version`, named by `data-skew-part`): the tab's own JavaScript, the
 * server-rendered page, each Server Action's result. Parts of two builds on one page is skew the
 * user sees and no error reports: a result or a render from a server of another build merged
 * into an old tab. A full page load of the current build shows one build again, and passes here
 * (no-hard-reload judges the load itself).
 */
export const renderedVersion: Check = {
  name: 'rendered-version',
  description: 'every user action ended on a page whose parts all come from one build (no result or render of another build merged in)',
  worlds: {
    'single-origin':
      "one server answers every tab: an old tab's Server Action or refresh reaches the new build, and unless Next turns it into a full page load, its answer is merged into the old page",
    rolling: "mid-rollout an old tab's server request may reach a pod of either build: its answer is merged into the tab's page",
  },
  fix: "a server of another build answered the tab's request and the tab showed it: send a tab's requests (RSC, Server Actions, data) to the build it runs (route by deployment id, or keep its server), or build with a deployment id so Next loads the page anew instead",
  judge({ events }) {
    const marked = ofType(events, 'action').filter((a) => a.shown && Object.keys(a.shown).length > 0);
    if (marked.length === 0)
      return {
        verdict: 'inconclusive',
        evidence: ['no action ended on a page that marks its parts (data-skew-version): nothing shows which build rendered what'],
      };
    const mixed = marked.filter((a) => new Set(Object.values(a.shown!)).size > 1);
    if (mixed.length === 0) {
      const parts = new Set(marked.flatMap((a) => Object.keys(a.shown!)));
      return { verdict: 'pass', evidence: [`${marked.length} action(s), each ended on one build (parts seen: ${[...parts].join(', ')})`] };
    }
    // A foreign part stays on the page through the actions after it: name each one where it first shows.
    const named = new Set<string>();
    const evidence: string[] = [];
    for (const a of mixed) {
      const fresh = Object.entries(a.shown!).filter(([part, v]) => !named.has(`${a.session}|${part}|${v}`));
      for (const [part, v] of Object.entries(a.shown!)) named.add(`${a.session}|${part}|${v}`);
      const tab = a.shown!.tab;
      if (tab && fresh.every(([, v]) => v === tab)) continue;
      const byVersion = new Map<string, string[]>();
      for (const [part, v] of Object.entries(a.shown!)) byVersion.set(v, [...(byVersion.get(v) ?? []), part]);
      const shown = [...byVersion].map(([v, parts]) => `${v} (${parts.join(', ')})`).join(' and ');
      evidence.push(`session ${a.session}: after ${a.action} ${a.target} the page mixes builds: ${shown}`);
    }
    return { verdict: 'fail', evidence: capped(evidence) };
  },
};
