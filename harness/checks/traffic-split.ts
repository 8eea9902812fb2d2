import { ofType } from '../core/history.ts';
import { versionOf, type Check } from './check.ts';

/**
 * New visitors are split as the traffic table says: each deployment's observed share is within
 * three standard deviations (plus 2 points) of its percent. Pinned clients are not counted here.
 */
export const trafficSplit: Check = {
  name: 'traffic-split',
  description: 'new visitors are split between revisions as the traffic table says (each share within 3σ + 2 points)',
  fix: "new visitors are not split as the traffic table says: check the router's split rule and what keeps a visitor sticky",
  judge(input) {
    const { events } = input;
    const probes = ofType(events, 'split-probe');
    if (probes.length === 0) return { verdict: 'inconclusive', evidence: ['no probeSplit step ran'] };
    const evidence: string[] = [];
    const bad: string[] = [];
    for (const p of probes) {
      // The table in force is the last one recorded before the probe, by order: a split step
      // right after a probe can share its millisecond.
      const table = ofType(events.slice(0, events.indexOf(p)), 'traffic').at(-1)?.table ?? [];
      const want = new Map<string, number>();
      for (const r of table) want.set(r.deploymentId, (want.get(r.deploymentId) ?? 0) + r.percent / 100);
      const ids = new Set([...want.keys(), ...Object.keys(p.counts)]);
      const parts: string[] = [];
      for (const id of ids) {
        const share = want.get(id) ?? 0;
        const got = (p.counts[id] ?? 0) / p.visitors;
        const tolerance = 3 * Math.sqrt((share * (1 - share)) / p.visitors) + 0.02;
        const line = `${versionOf(input, id)} ${(got * 100).toFixed(1)} % (table ${(share * 100).toFixed(0)} %)`;
        parts.push(line);
        if (Math.abs(got - share) > tolerance)
          bad.push(`${p.visitors} visitors to ${p.path}: ${line}, off by more than ${(tolerance * 100).toFixed(1)} points`);
      }
      evidence.push(`${p.visitors} visitors to ${p.path}: ${parts.join(', ')}`);
    }
    return bad.length ? { verdict: 'fail', evidence: [...bad, ...evidence] } : { verdict: 'pass', evidence };
  },
};
