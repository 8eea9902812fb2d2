import { CHECKS } from '../checks/index.ts';
import { parseScenario as parseWith, type Scenario as ScenarioOf, type Vocabulary } from '../core/scenario.ts';
import { STEP_KINDS, type Step } from '../steps/index.ts';
import { heldRolloutProblems } from '../steps/resume-rollout.ts';
import { sessionOrderProblems } from '../steps/session-order.ts';

/** A scenario whose steps are the catalogue's step kinds. */
export type Scenario = ScenarioOf<Step>;

/** The live registries: every step kind in harness/steps/, every check in harness/checks/. */
export const VOCABULARY: Vocabulary<Step> = {
  steps: STEP_KINDS,
  checks: Object.keys(CHECKS),
  sequenceProblems: (steps) => [...heldRolloutProblems(steps), ...sessionOrderProblems(steps)],
};

/** Validates a scenario against the live step and check registries (errors name each problem). */
export function parseScenario(input: unknown, origin = 'scenario'): Scenario {
  return parseWith(input, VOCABULARY, origin);
}
