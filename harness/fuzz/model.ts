import fc from 'fast-check';
import type { Scenario } from '../scenario/parse.ts';
import type { Step } from '../steps/index.ts';

/**
 * The fuzzer's language: what can happen to a deployed app, as abstract actions that fast-check
 * generates and shrinks. `compile` turns any list of them into a valid scenario (an action
 * that makes no sense at that point — a rollback to a version never deployed, a lazy load on
 * a tab that navigated away — is dropped), so every shrink is a runnable scenario too.
 */
export type FuzzAction =
  | { do: 'deploy'; version: FuzzVersion }
  | { do: 'rollback'; version: FuzzVersion }
  | { do: 'open'; router: 'app' | 'pages' }
  | { do: 'lazyLoad'; tab: number }
  | { do: 'navigate'; tab: number }
  | { do: 'reload'; tab: number }
  | { do: 'cleanup' }
  | { do: 'later'; minutes: 5 | 20 | 60 }
  | { do: 'fault'; fault: FuzzFault }
  /** Platform mode: `percent` % of new visitors back to the version live before the newest. */
  | { do: 'split'; percent: 10 | 50 | 100 };

/**
 * The faults a sequence may inject, with their parameters: each is healed after the next deploy
 * or rollback. Only faults the good deployer is expected to survive whatever the tabs do meanwhile
 * (a browser fault would fail the tabs' own actions, and platform faults need platform mode).
 */
export const FUZZ_FAULTS = {
  'purge-rate-limit': { requests: 1, retryAfterS: 1 },
  'purge-late': { delayMs: 3_000 },
  'origin-slow-start': { ms: 2_000 },
  'storage-visible-late': { ms: 3_000, under: '/static/' },
} as const satisfies Record<string, Record<string, unknown>>;
export type FuzzFault = keyof typeof FUZZ_FAULTS;

export const FUZZ_VERSIONS = ['A', 'B', 'C'] as const;
export type FuzzVersion = (typeof FUZZ_VERSIONS)[number];

const version = fc.constantFrom(...FUZZ_VERSIONS);
const tab = fc.nat({ max: 3 });

/**
 * One action; deploys and tabs weigh most, since skew needs both. A release store gets
 * rollbacks and faults; the platform gets traffic splits instead (its rollback is a split).
 */
export function fuzzAction(platform = false): fc.Arbitrary<FuzzAction> {
  return fc.oneof(
    { weight: 4, arbitrary: version.map((v) => ({ do: 'deploy' as const, version: v })) },
    ...(platform ? [] : [{ weight: 2, arbitrary: version.map((v) => ({ do: 'rollback' as const, version: v })) }]),
    { weight: 4, arbitrary: fc.constantFrom('app' as const, 'pages' as const).map((router) => ({ do: 'open' as const, router })) },
    { weight: 3, arbitrary: tab.map((t) => ({ do: 'lazyLoad' as const, tab: t })) },
    { weight: 2, arbitrary: tab.map((t) => ({ do: 'navigate' as const, tab: t })) },
    { weight: 1, arbitrary: tab.map((t) => ({ do: 'reload' as const, tab: t })) },
    { weight: 1, arbitrary: fc.constant({ do: 'cleanup' as const }) },
    { weight: 1, arbitrary: fc.constantFrom(5 as const, 20 as const, 60 as const).map((minutes) => ({ do: 'later' as const, minutes })) },
    platform
      ? {
          weight: 3,
          arbitrary: fc.constantFrom(10 as const, 50 as const, 100 as const).map((percent) => ({ do: 'split' as const, percent })),
        }
      : {
          weight: 2,
          arbitrary: fc.constantFrom(...(Object.keys(FUZZ_FAULTS) as FuzzFault[])).map((fault) => ({ do: 'fault' as const, fault })),
        },
  );
}

// Unbiased, lengths over the whole range: fast-check's default favours short lists in the first
// runs, and a fuzz budget is only a handful of runs (each a real deploy); shrinking still works.
// Every sequence starts with a deploy and a tab: without both, nothing can skew.
export const fuzzSequence = (maxLength: number, platform = false): fc.Arbitrary<FuzzAction[]> =>
  fc
    .noBias(
      fc.tuple(
        version,
        fc.constantFrom('app' as const, 'pages' as const),
        fc.array(fuzzAction(platform), { maxLength: Math.max(0, maxLength - 2), size: 'max' }),
      ),
    )
    .map(([v, router, rest]): FuzzAction[] => [{ do: 'deploy', version: v }, { do: 'open', router }, ...rest]);

/** The fixture's pages a tab can start on: where its lazy button and a prefetch={false} link are. */
const START = {
  app: { path: '/', link: 'link-about', expect: 'page-about' },
  pages: { path: '/legacy', link: 'link-other', expect: 'page-other' },
} as const;

export const FUZZ_CHECKS = ['no-chunk-load-error', 'content-renders', 'no-hard-reload', 'new-sessions-current'];
/** Platform mode also judges the object store: no object a live or recent build needs is gone. */
export const PLATFORM_FUZZ_CHECKS = [...FUZZ_CHECKS, 'referenced-objects-kept'];

/**
 * Any action list → a valid scenario, plus the actions it kept (what the written file explains).
 * `platform`: the skew-protection platform's vocabulary — traffic splits between revisions
 * instead of rollbacks (its rollback is a traffic change), and no faults (they act on release
 * stores and deployer processes); a release store drops splits instead.
 */
export function compile(
  actions: readonly FuzzAction[],
  name: string,
  opts: { platform?: boolean } = {},
): { scenario: Scenario; kept: FuzzAction[] } {
  const platform = opts.platform === true;
  const steps: Step[] = [];
  const kept: FuzzAction[] = [];
  const deployed: string[] = [];
  let current: string | undefined;
  let previous: string | undefined;
  let fault: string | undefined;
  const tabs: { name: string; router: 'app' | 'pages'; onStart: boolean }[] = [];
  const healAfterChange = () => {
    if (fault) steps.push({ kind: 'heal', fault });
    fault = undefined;
  };
  for (const a of actions) {
    const tabOf = (i: number) => tabs[i % Math.max(1, tabs.length)];
    switch (a.do) {
      case 'deploy':
        if (a.version === current) continue;
        steps.push({ kind: 'deploy', version: a.version });
        healAfterChange();
        previous = current;
        current = a.version;
        if (!deployed.includes(a.version)) deployed.push(a.version);
        break;
      case 'rollback':
        if (platform || a.version === current || !deployed.includes(a.version)) continue;
        steps.push({ kind: 'rollback', version: a.version });
        healAfterChange();
        previous = current;
        current = a.version;
        break;
      case 'open': {
        if (!current || tabs.length >= 4) continue;
        const t = { name: `tab${tabs.length + 1}`, router: a.router, onStart: true };
        tabs.push(t);
        steps.push({ kind: 'openSession', session: t.name, path: START[a.router].path });
        break;
      }
      case 'lazyLoad': {
        const t = tabOf(a.tab);
        if (!t?.onStart) continue;
        steps.push({ kind: 'lazyLoad', session: t.name });
        break;
      }
      case 'navigate': {
        const t = tabOf(a.tab);
        if (!t?.onStart) continue;
        steps.push({ kind: 'navigate', session: t.name, link: START[t.router].link, expect: START[t.router].expect });
        t.onStart = false;
        break;
      }
      case 'reload': {
        const t = tabOf(a.tab);
        if (!t) continue;
        steps.push({ kind: 'reload', session: t.name });
        break;
      }
      case 'cleanup':
        if (!current) continue;
        steps.push({ kind: 'cleanup' });
        break;
      case 'later':
        steps.push({ kind: 'advanceClock', by: `${a.minutes}m` });
        break;
      case 'split': {
        if (!platform || !current || !previous) continue;
        const traffic = [
          { version: previous, percent: a.percent },
          { version: current, percent: 100 - a.percent },
        ].filter((t) => t.percent > 0);
        steps.push({ kind: 'split', traffic });
        break;
      }
      case 'fault':
        if (platform || fault) continue;
        fault = a.fault;
        steps.push({ kind: 'inject', fault: a.fault, params: { ...FUZZ_FAULTS[a.fault] } });
        break;
    }
    kept.push(a);
  }
  healAfterChange();
  // The end: every tab still on its start page loads a lazy chunk; a new visitor arrives.
  for (const t of tabs) if (t.onStart) steps.push({ kind: 'lazyLoad', session: t.name });
  if (current) steps.push({ kind: 'openSession', session: 'newcomer', path: '/' });
  if (!steps.length) steps.push({ kind: 'advanceClock', by: '1s' });
  const scenario: Scenario = {
    name,
    title: `Fuzzed: ${kept.map(describe).join(', ') || 'nothing'}`,
    description: `A sequence generated by skew fuzz: ${kept.map(describe).join(' → ') || 'nothing'}; then every tab still on its start page loads a lazy chunk and a new visitor arrives.`,
    source:
      'skew fuzz (fast-check): random deploys, rollbacks or traffic splits, cleanups (GC), clock moves, faults (purge API, origin, storage) and tabs',
    versions: [...FUZZ_VERSIONS],
    ...(platform ? { platform: true } : {}),
    steps,
    checks: platform ? PLATFORM_FUZZ_CHECKS : FUZZ_CHECKS,
    reference: { good: platform ? 'additive-gc' : 'releases-symlink', broken: [] },
  };
  return { scenario, kept };
}

export function describe(a: FuzzAction): string {
  switch (a.do) {
    case 'deploy':
    case 'rollback':
      return `${a.do} ${a.version}`;
    case 'open':
      return `open a ${a.router} tab`;
    case 'lazyLoad':
    case 'navigate':
    case 'reload':
      return `${a.do} tab ${a.tab}`;
    case 'later':
      return `${a.minutes} min later`;
    case 'fault':
      return a.fault;
    case 'split':
      return `split ${a.percent} % back`;
    default:
      return a.do;
  }
}
