import { relative } from 'node:path';
import { type History, ofType } from '../core/history.ts';
import { isHarnessError } from '../errors/harness-error.ts';
import { interruptedBy } from '../io/interrupt.ts';
import { Load } from '../load/load.ts';
import type { Scenario } from '../scenario/parse.ts';
import { stepKind } from '../steps/index.ts';
import { prepareAhead } from '../steps/open-session.ts';
import type { Rig } from './rig.ts';

/** What playing the steps left to judge. */
export interface Played {
  /** A step that did not complete, one line each (the check steps-completed shows them). */
  stepErrors: string[];
  /** Set when the deployer under test failed, hung or escaped: nothing after it can be judged. */
  deployerFailure?: string[];
  /** A broken environment (nginx, the browser): the run cannot be judged and the error goes up. */
  fatal?: unknown;
  /** Playwright traces kept for the sessions that saw trouble, relative to the run directory. */
  traces: Record<string, string>;
  /** Set when a signal stopped the steps: how many completed, and which signal. */
  interrupted?: { signal: NodeJS.Signals; stepsDone: number };
}

export interface PlayOptions {
  scenario: Scenario;
  runDir: string;
  /** N HTTP clients through every deploy and rollback (from the first one on). */
  load?: number | undefined;
  beforeStep?: ((index: number, label: string) => Promise<void>) | undefined;
  /** Called after the last step (not after a fatal error), with the stack still up. */
  afterSteps?: ((p: Played) => Promise<void>) | undefined;
  log: (line: string) => void;
}

/**
 * Plays a scenario's steps on an open rig, every one recorded in its history, with the step
 * loop's error policy: a failed deploy or rollback or a broken environment stops the loop, a
 * session that could not click leaves the other sessions worth running. Then the load stops,
 * every fault is healed, and the sessions close (keeping the traces of troubled ones).
 */
export async function play(rig: Rig, o: PlayOptions): Promise<Played> {
  const { scenario, log } = o;
  const history = rig.history;
  const played: Played = { stepErrors: [], traces: {} };
  let load: Load | undefined;
  try {
    for (const [index, step] of scenario.steps.entries()) {
      // Interrupted: no step starts after the signal, and what the teardown broke under the
      // running one is not an error of the step.
      const signal = interruptedBy();
      if (signal) {
        played.interrupted = { signal, stepsDone: index };
        break;
      }
      const label = stepKind(step.kind)!.label(step as never);
      await o.beforeStep?.(index, label);
      log(`step ${index + 1}/${scenario.steps.length}: ${label}`);
      // The browser contexts of the sessions opening next are made now, in parallel.
      prepareAhead(rig.context, scenario.steps, index);
      const changes = step.kind === 'deploy' || step.kind === 'rollback';
      if (load && changes) load.setPhase(label);
      try {
        await rig.step(index, step);
        // Load starts once something is live, and runs to the end of the scenario.
        if (changes && o.load && !load) {
          log(`load: ${o.load} HTTP clients through the edge`);
          load = Load.start({ edgeUrl: rig.stack.url, clients: o.load });
        }
        if (load && changes) load.setPhase(`after ${label}`);
      } catch (e) {
        const signal = interruptedBy();
        if (signal) {
          played.interrupted = { signal, stepsDone: index };
          break;
        }
        const error = e instanceof Error ? e.message.split('\n')[0]! : String(e);
        // The rerun of an action a fault killed may fail: that is the finding, judged by the checks.
        if (isHarnessError(e) && e.code === 'DEPLOYER_FAILED' && isRerunOfInterrupted(history, step)) {
          log(`  the rerun of an interrupted action failed: ${error}`);
          continue;
        }
        played.stepErrors.push(`step ${index + 1} (${label}): ${error}${isHarnessError(e) && e.kind === 'input' ? ` (${e.hint})` : ''}`);
        if (isHarnessError(e) && e.code === 'DEPLOYER_FAILED')
          played.deployerFailure = [`step ${index + 1} (${label}): ${e.message}`, `hint: ${e.hint}`, ...e.details.map((d) => `  | ${d}`)];
        log(`  step failed: ${error}`);
        // A broken environment or a failed deploy leaves nothing meaningful to continue with.
        if (step.kind === 'deploy' || step.kind === 'rollback' || (isHarnessError(e) && e.kind === 'environment')) {
          if (isHarnessError(e) && e.kind === 'environment') played.fatal = e;
          break;
        }
      }
    }
    if (!played.interrupted && interruptedBy()) played.interrupted = { signal: interruptedBy()!, stepsDone: scenario.steps.length };
    // The teardown is already taking the stack down: nothing more to heal or close here.
    if (played.interrupted) return played;
    if (load) {
      const report = await load.stop();
      load = undefined;
      history.append({ type: 'load', report });
      log(`load: ${report.requests} requests, ${Object.values(report.errors).reduce((a, b) => a + (b ?? 0), 0)} errors`);
    }
    // A rollout a failed step left held finishes, so the run ends with the deployer's action done.
    const held = rig.context.duringDeploy.held;
    if (held) {
      log(`  resuming the rollout of ${held.label}, held when the steps ended`);
      await held
        .resume()
        .catch((e: unknown) =>
          played.stepErrors.push(`resuming the rollout of ${held.label}: ${e instanceof Error ? e.message : String(e)}`),
        );
    }
    // Every run ends healed, and the heals are part of the history the checks judge.
    await rig.faults
      .healAll()
      .catch((e: unknown) => played.stepErrors.push(`healing the faults: ${e instanceof Error ? e.message : String(e)}`));
    if (!played.fatal) await o.afterSteps?.(played);
    // Traces are kept for the sessions that saw trouble; the others are dropped.
    played.traces = Object.fromEntries(Object.entries(await rig.closeSessions()).map(([k, v]) => [k, relative(o.runDir, v)]));
  } catch (e) {
    const signal = interruptedBy();
    if (signal) played.interrupted ??= { signal, stepsDone: scenario.steps.length };
    else played.fatal = e;
  } finally {
    await load?.stop().catch(() => {});
  }
  return played;
}

/** A deploy/rollback step for the same version as an earlier action that a fault killed. */
function isRerunOfInterrupted(history: History, step: Scenario['steps'][number]): boolean {
  if (step.kind !== 'deploy' && step.kind !== 'rollback') return false;
  return ofType(history.events, 'deployer').some((d) => d.interrupted && d.action === step.kind && d.version === step.version);
}
