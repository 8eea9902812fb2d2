import { HarnessError } from '../errors/harness-error.ts';
import type { FaultContext, Heal } from './fault.ts';
import { FAULTS, faultKind } from './index.ts';

/**
 * The faults injected in a run, by id (the fault's name unless the step gave one). Every
 * inject and heal is recorded; `healAll` ends a run healed, whatever the scenario forgot.
 */
export class ActiveFaults {
  private readonly active = new Map<string, { name: string; label: string; heal: Heal }>();

  /** `context` is read at each inject: a rig's history and sessions change between tests. */
  constructor(private readonly context: () => FaultContext) {}

  get ids(): string[] {
    return [...this.active.keys()];
  }

  async inject(name: string, params: unknown, id = name): Promise<void> {
    const kind = faultKind(name);
    if (!kind)
      throw new HarnessError(
        'INVALID_SCENARIO',
        `unknown fault "${name}" (known: ${FAULTS.map((f) => f.name).join(', ')})`,
        'name one of the faults `skew list` shows',
      );
    if (this.active.has(id))
      throw new HarnessError(
        'INVALID_SCENARIO',
        `fault "${id}" is already injected`,
        'heal it first, or give the second injection its own id (inject … id: "second")',
      );
    const ctx = this.context();
    const missing = (kind.needs ?? []).filter((n) => !ctx.capabilities.has(n));
    if (missing.length)
      throw new HarnessError(
        'FAULT_NOT_SUPPORTED',
        `fault ${name} needs ${missing.join(' and ')}, which this run did not start`,
        `a scenario run starts what its inject steps need; in your own Playwright specs, list the fault in the skewFaults option (use: { skewFaults: ['${name}'] })`,
      );
    const p = kind.params.parse(params ?? {});
    const label = kind.label(p);
    const heal = await kind.inject(ctx, p);
    this.active.set(id, { name, label, heal });
    ctx.history.append({ type: 'fault', fault: name, id, area: kind.area, phase: 'inject', label });
  }

  async heal(id: string): Promise<void> {
    const f = this.active.get(id);
    if (!f)
      throw new HarnessError(
        'INVALID_SCENARIO',
        `no injected fault "${id}" to heal (injected: ${this.ids.join(', ') || 'none'})`,
        'heal a fault by the id its inject step gave it (its name by default), after injecting it',
      );
    this.active.delete(id);
    try {
      await f.heal();
    } finally {
      // Recorded even when the heal threw: the fault is no longer ours to heal again.
      this.context().history.append({ type: 'fault', fault: f.name, id, area: faultKind(f.name)!.area, phase: 'heal', label: f.label });
    }
  }

  /** Heals everything still injected, newest first; a heal that fails does not stop the others. */
  async healAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const id of this.ids.reverse()) await this.heal(id).catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  }
}
