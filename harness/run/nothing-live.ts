import type { Stamped } from '../core/history.ts';

/**
 * The deploys a deployer reported done (exit 0) after which nothing at all was live: no current,
 * no release kept, no server running. A deployer that does nothing gets every check failing for
 * that one reason, each in its own words; this says it once, first. Undefined when every deploy
 * left something live. Pure.
 */
export function nothingLive(events: readonly Stamped[]): string | undefined {
  const empty: string[] = [];
  let pending: string | undefined;
  for (const e of events) {
    if (e.type === 'deployer') pending = e.action === 'deploy' && e.ok && e.refused === undefined ? e.version : undefined;
    if (e.type === 'stack' && pending !== undefined) {
      if (!e.current && !e.live.length && !e.kept.length && !e.serving?.length) empty.push(pending);
      pending = undefined;
    }
  }
  if (!empty.length) return undefined;
  const deploys = empty.map((v) => `deploy ${v}`).join(', ');
  return `nothing went live: the deployer exited 0 for ${deploys}, yet no release was live after ${empty.length > 1 ? 'any of them' : 'it'} (no current, no release kept): the failures below follow from that (what a deploy must leave: docs/deployer-contract.md)`;
}
