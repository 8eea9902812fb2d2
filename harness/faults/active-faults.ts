import type { History } from '../core/history.ts';
import type { StepContext } from '../steps/step.ts';
import type { Heal } from './fault.ts';
import { faultKind, FAULTS } from './index.ts';

/**
 * The faults injected in a run, by id (the fault's name unless the step gave one). Every
 * inject and heal is recorded; `healAll` ends a run healed, whatever the scenario forgot.
 */
export class ActiveFaults {
  private readonly active = new Map<string, { name: string; label: string; heal: Heal }>();

  constructor(private readonly history: () => History) {}

  get ids(): string[] {
    return [...this.active.keys()];
  }

  async inject(ctx: StepContext, name: string, params: unknown, id = name): Promise<void> {
    const kind = faultKind(name);
    if (!kind) throw new Error(`unknown fault "${name}" (known: ${FAULTS.map((f) => f.name).join(', ')})`);
    if (this.active.has(id)) throw new Error(`fault "${id}" is already injected (heal it first, or give the second one its own id)`);
    const p = kind.params.parse(params ?? {});
    const label = kind.label(p);
    const heal = await kind.inject(ctx, p);
    this.active.set(id, { name, label, heal });
    this.history().append({ type: 'fault', fault: name, id, area: kind.area, phase: 'inject', label });
  }

  async heal(id: string): Promise<void> {
    const f = this.active.get(id);
    if (!f) throw new Error(`no injected fault "${id}" to heal (injected: ${this.ids.join(', ') || 'none'})`);
    this.active.delete(id);
    try {
      await f.heal();
    } finally {
      // Recorded even when the heal threw: the fault is no longer ours to heal again.
      this.history().append({ type: 'fault', fault: f.name, id, area: faultKind(f.name)!.area, phase: 'heal', label: f.label });
    }
  }

  /** Heals everything still injected, newest first; a heal that fails does not stop the others. */
  async healAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const id of this.ids.reverse()) await this.heal(id).catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  }
}
