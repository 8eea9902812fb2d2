import type { Build } from '../../builds/types.ts';
import type { ActionHandle } from '../../deployers/deployer.ts';
import type { ActionEnd, WorldAction, WorldObservation, WorldObserver } from '../../stack/worlds/world.ts';
import type { StepContext } from '../step.ts';

/** One deployer action as its observers see it: what a world's observers see, and the step's context. */
export interface ObservedAction extends WorldAction {
  ctx: StepContext;
  build: Build;
  /** A path a visitor loads each time the deployer reloads or purges (traffic mid-deploy). */
  visitDuring?: string | undefined;
}

/** What an attached observer does as the action goes on; a step's may also watch the action's handle. */
export interface Observation extends WorldObservation {
  /** The action started (a module's or a command's handle: pause, resume, kill). */
  started?(handle: ActionHandle): void;
}

/**
 * An evidence source around one deployer action: what it records about the action, or what it
 * does while the action runs. The world attaches its own (stack.observers: the switch of
 * `current`, the database's schema, the platform's bucket and rollout); a step or a fault its
 * own (a visitor mid-deploy, a storage fault).
 */
export interface ActionObserver {
  name: string;
  /** Before the action starts; undefined when it has nothing to watch this time. */
  attach(a: ObservedAction): Promise<Observation | undefined> | Observation | undefined;
}

/** The observers of one action, attached in order, their hooks called in that order. */
export class Observations {
  private constructor(private readonly list: Observation[]) {}

  static async attach(observers: (ActionObserver | WorldObserver)[], a: ObservedAction): Promise<Observations> {
    const list: Observation[] = [];
    for (const o of observers) {
      const attached = await o.attach(a);
      if (attached) list.push(attached);
    }
    return new Observations(list);
  }

  started(handle: ActionHandle): void {
    for (const o of this.list) o.started?.(handle);
  }

  async ended(): Promise<void> {
    for (const o of this.list) await o.ended?.();
  }

  async completed(outcome: ActionEnd): Promise<void> {
    for (const o of this.list) await o.completed?.(outcome);
  }
}
