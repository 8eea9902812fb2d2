import type { Build, Bundler } from '../builds/types.ts';
import type { CdnKind } from '../cdn/runtime.ts';
import type { Stamped } from '../core/history.ts';
import { referencesIn, type World } from '../core/scenario.ts';
import type { CheckResult } from '../core/verdict.ts';
import type { Deployer } from '../deployers/deployer.ts';
import type { Scenario } from '../scenario/parse.ts';
import type { Played } from './play.ts';
import { type AppReport, reportOf, type ScenarioReport } from './report.ts';
import { unprovokedRefusals } from './refused-deploys.ts';
import { runChecks } from './run-checks.ts';

export interface Judged {
  scenario: Scenario;
  /** Its name and part (good, broken, …): all a verdict needs of it. */
  deployer: Pick<Deployer, 'name' | 'reference'>;
  cdn: CdnKind;
  world: World;
  bundler: Bundler;
  builds: Record<string, Build>;
  events: readonly Stamped[];
  played: Pick<Played, 'stepErrors' | 'deployerFailure' | 'traces'>;
  startedAt: Date;
  runDir: string;
  rerun: string;
  seed: number;
  app?: AppReport | undefined;
}

/**
 * The scenario's checks over the recorded history, and what else decides the verdict: a
 * deployer that failed makes the run inconclusive (nothing after it can be judged), so does a
 * step that did not complete, and a deploy it refused unprovoked (nothing was switched); on a user's app, what the app lacks for the scenario is a finding
 * of its own, never a silent pass. Pure.
 */
export function judge(a: Judged): ScenarioReport {
  const checks: CheckResult[] = a.played.deployerFailure
    ? [
        {
          check: 'deployer',
          verdict: 'inconclusive',
          evidence: [...a.played.deployerFailure, `not judged: ${a.scenario.checks.join(', ')}`],
        },
      ]
    : runChecks(a.scenario.checks, a.events, a.builds, a.scenario.deployerOptions ?? {});
  if (a.played.stepErrors.length && !a.played.deployerFailure)
    checks.push({ check: 'steps-completed', verdict: 'inconclusive', evidence: a.played.stepErrors });
  const refused = unprovokedRefusals(a.events);
  if (refused) checks.push(refused);
  if (a.app)
    checks.push(
      a.app.gaps.length
        ? { check: 'app-coverage', verdict: 'inconclusive', evidence: a.app.gaps }
        : {
            check: 'app-coverage',
            verdict: 'pass',
            evidence: [
              `${a.app.notApplicable.length ? "the scenario's old tabs ran" : 'every step ran'} on the app's own pages: ${a.app.mapping.join('; ') || 'no page mapping needed'}`,
              ...a.app.notApplicable.map((n) => `not applicable to this app: ${n}`),
            ],
          },
    );
  return reportOf({
    scenario: a.scenario.name,
    title: a.scenario.title,
    deployer: a.deployer,
    deployerRole: roleOf(a),
    limit: referencesIn(a.scenario, a.world, modeOf(a)).limit,
    cdn: a.cdn,
    world: a.world,
    bundler: a.bundler,
    builds: a.builds,
    checks,
    events: a.events,
    startedAt: a.startedAt,
    runDir: a.runDir,
    rerun: a.rerun,
    seed: a.seed,
    app: a.app,
    traces: a.played.traces,
  });
}

/** What the scenario's references say of this deployer in this world and deployment-id mode. */
function roleOf(a: Judged): NonNullable<ScenarioReport['deployerRole']> {
  const r = referencesIn(a.scenario, a.world, modeOf(a));
  const name = a.deployer.name;
  if (r.good === name) return 'good';
  if (r.recovering?.includes(name)) return 'recovering';
  if (r.broken.some((b) => b.deployer === name)) return 'broken';
  return 'not a reference';
}

function modeOf(a: Pick<Judged, 'builds'>): 'on' | 'off' {
  return Object.values(a.builds).some((b) => b.withDeploymentId === false) ? 'off' : 'on';
}
