import { z } from 'zod';
import { HarnessError } from '../errors/harness-error.ts';
import { rolloutStrategy } from './rollout-strategy.ts';

/**
 * The worlds a run can build. `pinned`: a skew-protection platform; every kept release has its
 * own server and the edge sends a request pinned by `?dpl=`, `x-deployment-id` or the deployment
 * cookie to it. `single-origin`: the rollback document's VPS; one `next start` runs `current`
 * behind the team's nginx, a release that is not current has files but no server, and nothing
 * routes by deployment id unless the deployer sets that up in its nginx. `rolling`: a Kubernetes
 * Deployment without skew protection; during a rollout pods of both builds sit behind one
 * round-robin Service, so one tab's requests land on either build.
 */
export const WORLDS = ['pinned', 'single-origin', 'rolling'] as const;
export type World = (typeof WORLDS)[number];

/**
 * How the versions are built: `on` with `NEXT_DEPLOYMENT_ID` (assets carry `?dpl=`, requests
 * `x-deployment-id`), `off` without one, as most self-hosted apps are (a commit-like build id,
 * nothing pins a request to its build).
 */
export const DEPLOYMENT_ID_MODES = ['on', 'off'] as const;
export type DeploymentIdMode = (typeof DEPLOYMENT_ID_MODES)[number];

/**
 * How the builds salt their Server Action ids (harness/builds/build-cache.ts): `per-build`, each
 * build its own key, or `shared`, one NEXT_SERVER_ACTIONS_ENCRYPTION_KEY for every build, so
 * ids match across builds.
 */
export const ACTION_IDS = ['per-build', 'shared'] as const;
export type ActionIds = (typeof ACTION_IDS)[number];

/** What every step is, before its kind's schema says more. */
export interface StepData {
  kind: string;
}

/**
 * The words a scenario may use: its step kinds (each with the schema a step of that kind must
 * match) and its check names. The core knows none of them: the caller hands them in
 * (harness/scenario/parse.ts hands in the live registries), so the core stays free of the stack.
 */
export interface Vocabulary<S extends StepData> {
  steps: readonly { kind: string; schema: z.ZodType<S> }[];
  checks: readonly string[];
  /** Mistakes only the sequence of steps shows (e.g. a held rollout never resumed), one line each. */
  sequenceProblems?: (steps: readonly S[]) => string[];
}

/**
 * A scenario is one data value: versions to build, the steps to run against the stack, and
 * the checks that judge the recorded history. Validated once, with errors that name the step.
 */
export interface Scenario<S extends StepData = StepData> {
  name: string;
  title: string;
  /** What the scenario proves, in a user's words. */
  description: string;
  /** The seed practice it comes from (document and section). */
  source: string;
  versions: string[];
  steps: S[];
  checks: string[];
  /**
   * The reference deployers the catalogue is proven with: the good one must pass; each broken
   * one must fail, at least on the checks it names (the e2e suite asserts both). These are the
   * pinned world's; `worlds` gives another world's own (its deployers differ: in single-origin a
   * good one routes by deployment id in its own nginx).
   */
  reference: References & {
    good: string;
    worlds?: Partial<Record<World, References>>;
    /** The references of each world when the versions are built without a deployment id (`--deployment-id off`). */
    withoutDeploymentId?: Partial<Record<World, References>>;
  };
  /**
   * Database schema each version's code reads (default 1). A version above 1 ships the
   * migrations up to it (harness/core/schema-levels.ts); the deployer runs them.
   */
  schema?: Record<string, number>;
  /**
   * `true`: the stack is the skew-protection platform (revisions behind a traffic split, static
   * files from an object store) instead of a release store with `current`.
   */
  platform?: boolean;
  /** How the builds salt their Server Action ids (default `per-build`). */
  actionIds?: ActionIds;
  /** Settings handed to the deployer (`ctx.options`, env `SKEW_OPT_<NAME>`), e.g. assetRetention. */
  deployerOptions?: Record<string, string>;
  /** Cache rules of the edge for this scenario (e.g. a public-file rule), default none. */
  edge?: { publicTtl?: string; cacheStatic404?: string; htmlTtl?: string; deploymentCookie?: boolean };
  /** Edge locations (PoPs), each with its own cache; sessions and probes name theirs. Default one. */
  locations?: string[];
  /** The worlds the scenario applies to (default `pinned` only); `skew run --world` runs those that apply. */
  worlds?: World[];
  /** The deployment-id modes it applies to (default `on` only); `skew run --deployment-id` runs those that apply. */
  deploymentIds?: DeploymentIdMode[];
  /**
   * The rolling world's Deployment strategy, in pods (default 2 replicas, maxSurge 2,
   * maxUnavailable 0: two pods of each build serve while a rollout runs).
   */
  rollout?: z.input<typeof rolloutStrategy>;
  /**
   * The bundler whose output the scenario's point needs (webpack writes `css/` and `media/`
   * beside `chunks/`; Turbopack only `chunks/`). Used when the run leaves the bundler to `auto`,
   * for the fixture; `--bundler` and `--app` builds decide for themselves.
   */
  bundler?: 'turbopack' | 'webpack';
}

/** The deployment-id modes a scenario applies to. */
export function deploymentIdsOf(s: { deploymentIds?: readonly DeploymentIdMode[] | undefined }): readonly DeploymentIdMode[] {
  return s.deploymentIds ?? ['on'];
}

/** A good deployer that must pass, and broken ones that must fail at least the checks they name. */
export interface References {
  /**
   * Passes every check. Absent where no deployer can: without deployment ids nothing can route
   * an old tab to its build, so the best is that its users recover by navigation.
   */
  good?: string;
  broken: { deployer: string; fails: string[] }[];
  /**
   * Deployers whose users recover by navigation (docs/worlds.md): every check passes but
   * `no-hard-reload`, and `recovers-by-navigation` counts the recoveries. The scenario judges both.
   */
  recovering?: string[];
  /**
   * Where the world itself makes the scenario impossible to pass (no deployer of ours can, and
   * why): `skew explain` says so, and a run here names it under its verdict. Names no good
   * deployer; the broken ones still prove the checks fire.
   */
  limit?: string;
}

/**
 * The reference deployers of a scenario in a world and deployment-id mode: that pair's own, else
 * the world's, else the pinned world's.
 */
export function referencesIn(s: { reference: Scenario['reference'] }, world: World, mode: DeploymentIdMode = 'on'): References {
  const r = s.reference;
  const own = (mode === 'off' ? r.withoutDeploymentId?.[world] : undefined) ?? r.worlds?.[world];
  return (
    own ?? {
      ...(r.good ? { good: r.good } : {}),
      broken: r.broken,
      ...(r.recovering ? { recovering: r.recovering } : {}),
      ...(r.limit ? { limit: r.limit } : {}),
    }
  );
}

/**
 * The deployer a run uses when none is named: the good one, else the first whose users recover,
 * else (where the world's limit leaves none) the first broken one, whose run names the limit.
 */
export function defaultDeployerOf(r: References): string {
  return r.good ?? r.recovering?.[0] ?? r.broken[0]!.deployer;
}

/** Every reference deployer, good first. */
export function referenceDeployers(r: References): string[] {
  return [...(r.good ? [r.good] : []), ...(r.recovering ?? []), ...r.broken.map((b) => b.deployer)];
}

/** The worlds a scenario applies to. */
export function worldsOf(s: { worlds?: readonly World[] | undefined }): readonly World[] {
  return s.worlds ?? ['pinned'];
}

const references = z.object({
  good: z.string().min(1).optional(),
  broken: z.array(z.object({ deployer: z.string().min(1), fails: z.array(z.string()).min(1) })),
  recovering: z.array(z.string().min(1)).min(1).optional(),
  limit: z.string().min(1).optional(),
});

/**
 * A scenario file has limits: the catalogue's longest has 33 steps and 6 sessions. Far more is a
 * generated file gone wrong (200,000 steps ran for minutes), refused before anything starts.
 */
export const MAX_STEPS = 500;
export const MAX_SESSIONS = 50;

const top = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase words joined by dashes'),
  title: z.string().min(1),
  description: z.string().min(1),
  source: z.string().min(1),
  versions: z.array(z.string().regex(/^[A-Z]$/, 'one capital letter')).min(1),
  steps: z
    .array(z.object({ kind: z.string() }).passthrough())
    .min(1)
    .max(MAX_STEPS, `at most ${MAX_STEPS} steps (the catalogue's longest has 33)`),
  checks: z.array(z.string()).min(1),
  platform: z.boolean().optional(),
  actionIds: z.enum(ACTION_IDS).optional(),
  deploymentIds: z
    .array(z.enum(DEPLOYMENT_ID_MODES))
    .min(1)
    .refine((w) => new Set(w).size === w.length, 'each mode once')
    .optional(),
  worlds: z
    .array(z.enum(WORLDS))
    .min(1)
    .refine((w) => new Set(w).size === w.length, 'each world once')
    .optional(),
  rollout: rolloutStrategy.optional(),
  bundler: z.enum(['turbopack', 'webpack']).optional(),
  locations: z
    .array(z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'a short lowercase name (fra, iad)'))
    .min(1)
    .max(4)
    .refine((l) => new Set(l).size === l.length, 'location names must differ')
    .optional(),
  deployerOptions: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'a camelCase name'), z.string()).optional(),
  schema: z.record(z.string().regex(/^[A-Z]$/), z.number().int().min(1)).optional(),
  edge: z
    .object({
      publicTtl: z
        .string()
        .regex(/^\d+[smhd]$/)
        .optional(),
      cacheStatic404: z
        .string()
        .regex(/^\d+[smhd]$/)
        .optional(),
      htmlTtl: z
        .string()
        .regex(/^\d+[smhd]$/)
        .optional(),
      deploymentCookie: z.boolean().optional(),
    })
    .strict()
    .optional(),
  reference: references.extend({
    good: z.string().min(1),
    worlds: z.partialRecord(z.enum(WORLDS), references).optional(),
    withoutDeploymentId: z.partialRecord(z.enum(WORLDS), references).optional(),
  }),
});

export function parseScenario<S extends StepData>(input: unknown, vocabulary: Vocabulary<S>, origin = 'scenario'): Scenario<S> {
  const problems: string[] = [];
  const t = top.safeParse(input);
  if (!t.success) {
    for (const i of t.error.issues) problems.push(`${i.path.join('.') || '(root)'}: ${i.message}`);
    throw invalid(origin, problems);
  }
  const steps: S[] = [];
  t.data.steps.forEach((raw, i) => {
    const kind = vocabulary.steps.find((k) => k.kind === raw.kind);
    if (!kind) {
      problems.push(`steps[${i}]: unknown kind "${raw.kind}" (known: ${vocabulary.steps.map((k) => k.kind).join(', ')})`);
      return;
    }
    const r = kind.schema.safeParse(raw);
    if (!r.success) for (const iss of r.error.issues) problems.push(`steps[${i}] (${raw.kind}) ${iss.path.join('.')}: ${iss.message}`);
    else steps.push(r.data);
  });
  if (steps.length === t.data.steps.length) problems.push(...(vocabulary.sequenceProblems?.(steps) ?? []));
  for (const c of t.data.checks) {
    if (!vocabulary.checks.includes(c)) problems.push(`checks: unknown check "${c}" (known: ${vocabulary.checks.join(', ')})`);
  }
  const referenced = [
    ['', t.data.reference] as const,
    ...Object.entries(t.data.reference.worlds ?? {}).map(([w, r]) => [`worlds.${w}.`, r!] as const),
    ...Object.entries(t.data.reference.withoutDeploymentId ?? {}).map(([w, r]) => [`withoutDeploymentId.${w}.`, r!] as const),
  ];
  for (const [where, r] of referenced) {
    if (!r.good && !r.recovering && !r.limit)
      problems.push(`reference.${where}: name a good deployer, the ones whose users recover (recovering), or the world's limit (limit)`);
    if (r.limit && r.good) problems.push(`reference.${where}limit: a place with a limit has no good deployer (drop good, or the limit)`);
    if (r.limit && r.broken.length === 0)
      problems.push(`reference.${where}limit: name at least one broken deployer, to prove the checks fire there`);
    if (r.recovering && !['no-hard-reload', 'recovers-by-navigation'].every((c) => t.data.checks.includes(c)))
      problems.push(`reference.${where}recovering: the scenario must judge no-hard-reload and recovers-by-navigation`);
    for (const b of r.broken) {
      for (const c of b.fails) {
        if (!t.data.checks.includes(c))
          problems.push(`reference.${where}broken ${b.deployer}: fails "${c}", which is not among the scenario's checks`);
      }
    }
  }
  const declared: readonly string[] = t.data.worlds ?? ['pinned'];
  for (const [key, by] of [
    ['worlds', t.data.reference.worlds],
    ['withoutDeploymentId', t.data.reference.withoutDeploymentId],
  ] as const) {
    for (const w of Object.keys(by ?? {})) {
      if (!declared.includes(w))
        problems.push(`reference.${key}.${w}: the scenario does not apply to the ${w} world (worlds: ${declared.join(', ')})`);
    }
  }
  if (t.data.reference.withoutDeploymentId && !t.data.deploymentIds?.includes('off'))
    problems.push('reference.withoutDeploymentId: the scenario does not apply to builds without a deployment id (deploymentIds)');

  if (t.data.platform && t.data.deploymentIds?.includes('off'))
    problems.push('deploymentIds: a platform scenario needs deployment ids: its routing, its store and its GC are keyed by them');
  if (t.data.platform && t.data.worlds?.some((w) => w !== 'pinned'))
    problems.push('worlds: a platform scenario (platform: true) runs in the pinned world only: its revisions are pinned by deployment id');
  const known = t.data.versions.join(', ');
  for (const s of steps) {
    // Any step field that names a version (deploy B, pin A, mustSee B) must name a built one.
    const fields = s as unknown as Record<string, unknown>;
    if (typeof fields.version === 'string' && !t.data.versions.includes(fields.version)) {
      problems.push(`step "${s.kind} ${fields.version}": version not in versions [${known}]`);
    }
    for (const key of ['pin', 'mustSee'] as const) {
      const v = fields[key];
      if (typeof v === 'string' && !t.data.versions.includes(v))
        problems.push(`step "${s.kind}" ${key} ${v}: version not in versions [${known}]`);
    }
  }
  if (problems.length) throw invalid(origin, problems);
  return { ...t.data, steps };
}

function invalid(origin: string, problems: string[]): HarnessError {
  return new HarnessError(
    'INVALID_SCENARIO',
    `${origin} is not a valid scenario (${problems.length} problem${problems.length > 1 ? 's' : ''})`,
    'fix the fields listed below; see scenarios/ for working examples',
    { details: problems },
  );
}
