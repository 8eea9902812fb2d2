import { z } from 'zod';
import { faultKind, FAULTS } from '../faults/index.ts';
import type { StepKind } from './step.ts';

const schema = z
  .object({
    kind: z.literal('inject'),
    /** A fault name (`skew list` shows them). */
    fault: z.string().min(1),
    /** Names this injection for its `heal` step (default: the fault's name). */
    id: z.string().min(1).optional(),
    /** The fault's parameters; its defaults fill the rest. */
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((s, ctx) => {
    const kind = faultKind(s.fault);
    if (!kind) {
      ctx.addIssue({
        code: 'custom',
        path: ['fault'],
        message: `unknown fault "${s.fault}"; known: ${FAULTS.map((f) => f.name).join(', ')}`,
      });
      return;
    }
    const parsed = kind.params.safeParse(s.params ?? {});
    if (!parsed.success)
      for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['params', ...i.path.map(String)], message: i.message });
  });
export type InjectStep = z.infer<typeof schema>;

/** Injects a fault (harness/faults/): the world misbehaves from here until its `heal` step. */
export const inject: StepKind<InjectStep> = {
  kind: 'inject',
  schema,
  needs: (s) => faultKind(s.fault)?.needs ?? [],
  label: (s) =>
    `inject ${s.id && s.id !== s.fault ? `${s.id}: ` : ''}${faultKind(s.fault)?.label(faultKind(s.fault)!.params.parse(s.params ?? {})) ?? s.fault}`,
  async run(ctx, s) {
    await ctx.faults.inject(s.fault, s.params ?? {}, s.id);
  },
};
