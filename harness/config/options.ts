import { z } from 'zod';
import { DEFAULT_DEPLOYER_TIMEOUT_MS } from '../run/spec.ts';
import { CDN_KINDS } from '../cdn/runtime.ts';
import { DEPLOYMENT_ID_MODES, WORLDS } from '../core/scenario.ts';
import { isDeployerPath } from '../deployers/load.ts';
import { DEPLOYERS } from '../deployers/registry.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { envBoolean } from './env-boolean.ts';

/**
 * Options, resolved one way for every command: defaults < config file < SKEW_* environment <
 * command-line flags, validated once with one schema per command. Commander options carry no
 * defaults so that lower layers can apply.
 */

/** The default deployer: each scenario's own good reference deployer (`skew list`). */
export const REFERENCE = 'reference';

const deployerName = z.string().refine((d) => d === REFERENCE || d in DEPLOYERS || isDeployerPath(d), {
  message: `must be one of: ${Object.keys(DEPLOYERS).join(', ')}, or a path to your own deployer (./deploy.sh)`,
});
/** A whole number a config file may write as a number (`seed: 42`) and a flag gives as text. */
const wholeText = (text: z.ZodString) => z.preprocess((v) => (typeof v === 'number' ? String(v) : v), text);
const seed = wholeText(z.string().regex(/^\d{0,10}$/, 'a whole number (or empty for a fresh seed)'));

export const runOptionsSchema = z.object({
  deployer: deployerName,
  /** auto: turbopack for the fixture; for an app, what its build script or Next version uses. */
  bundler: z.enum(['auto', 'turbopack', 'webpack']),
  cdn: z.enum(CDN_KINDS),
  /** The world the stack is built as (docs/worlds.md): pinned, single-origin (one server behind the team's nginx) or rolling (pods behind one Service). */
  world: z.enum(WORLDS),
  /** Build with NEXT_DEPLOYMENT_ID (on) or without one, as most self-hosted apps are (off). */
  deploymentId: z.enum(DEPLOYMENT_ID_MODES),
  json: z.boolean(),
  /** Also write all runs' JUnit XML to this file ('' = no). Each run's own is in its run dir. */
  junit: z.string(),
  /** A user's Next.js project to run against instead of the fixture ('' = the fixture). */
  app: z.string(),
  /** The exact Next.js version the fixture is built with ('' = skew's own); 15.x or 16.x. */
  next: z.string().regex(/^(\d+\.\d+\.\d+(-[\w.]+)?)?$/, 'an exact version, e.g. 15.5.29'),
  /** Playwright traces: kept for the sessions that saw trouble (`failing`), or none (`off`). */
  trace: z.enum(['failing', 'off']),
  /** HTTP clients through every deploy and rollback ('' or 0 = none). */
  load: wholeText(z.string().regex(/^\d{0,5}$/, 'a whole number of clients (0 to 99999)')),
  /** Run each scenario's A→A control beside it: failures it shows too are noise (inconclusive). */
  control: z.boolean(),
  /** Seeds the faults' random choices ('' = a fresh seed, printed in the report). */
  seed,
  /** Scenarios run at once ('auto' = one per core, fewer when memory is short: defaultWorkers). */
  workers: z
    .union([z.literal('auto'), z.number(), z.string().regex(/^\d+$/, "a whole number of workers, or 'auto'")])
    .transform((v) => (v === 'auto' ? v : Number(v)))
    .pipe(z.union([z.literal('auto'), z.number().int().min(1, 'at least 1 worker').max(64, 'at most 64 workers')])),
  /** This runner's part of the scenarios, i/n as Playwright's --shard ('' = all). */
  shard: z.string(),
  /** Print each scenario's per-phase profile (where its wall time went). */
  profile: z.boolean(),
  /** Seconds one deployer action may take before it is killed (the run is then inconclusive). */
  deployerTimeout: wholeText(z.string().regex(/^\d{1,5}$/, 'a whole number of seconds (1 to 99999)'))
    .transform(Number)
    .pipe(z.number().min(1, 'at least 1 second')),
});
export type ResolvedRunOptions = z.output<typeof runOptionsSchema>;

export const DEFAULTS: z.input<typeof runOptionsSchema> = {
  deployer: REFERENCE,
  bundler: 'auto',
  cdn: 'process',
  world: 'pinned',
  deploymentId: 'on',
  json: false,
  junit: '',
  app: '',
  next: '',
  trace: 'failing',
  control: false,
  seed: '',
  load: '',
  workers: 'auto',
  shard: '',
  profile: false,
  deployerTimeout: String(DEFAULT_DEPLOYER_TIMEOUT_MS / 1000),
};

/** The environment variable of each option (the config file and flags use the option's own name). */
const ENV: Record<string, string> = {
  deployer: 'SKEW_DEPLOYER',
  bundler: 'SKEW_BUNDLER',
  cdn: 'SKEW_CDN',
  world: 'SKEW_WORLD',
  // Not SKEW_DEPLOYMENT_ID: that is the deployer contract's (the id a build was made with).
  deploymentId: 'SKEW_DEPLOYMENT_ID_MODE',
  json: 'SKEW_JSON',
  junit: 'SKEW_JUNIT',
  app: 'SKEW_APP',
  next: 'SKEW_NEXT',
  trace: 'SKEW_TRACE',
  control: 'SKEW_CONTROL',
  seed: 'SKEW_SEED',
  load: 'SKEW_LOAD',
  workers: 'SKEW_WORKERS',
  shard: 'SKEW_SHARD',
  profile: 'SKEW_PROFILE',
  deployerTimeout: 'SKEW_DEPLOYER_TIMEOUT',
};

type Layer = Partial<Record<string, unknown>>;
export interface ConfigLayer {
  path: string;
  values: Layer;
}

export function resolveRunOptions(flags: object, env: Record<string, string | undefined>, file?: ConfigLayer): ResolvedRunOptions {
  return resolveLayers(runOptionsSchema, DEFAULTS, flags, env, file);
}

/** A whole number from a flag (a string) or a config file (a number), within 0..max. */
const whole = (max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/, 'a whole number')])
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

/** `skew fuzz`: the deployer, seed and CDN as `skew run` takes them, and the fuzzer's budgets. */
export const fuzzOptionsSchema = z.object({
  deployer: deployerName,
  cdn: z.enum(CDN_KINDS),
  /** fast-check takes a 31-bit seed. */
  seed: seed.refine((s) => s === '' || Number(s) <= 0x7fffffff, 'a whole number up to 2147483647 (or empty for a fresh seed)'),
  /** Random sequences to try, each a real run. */
  runs: whole(10_000),
  /** Real runs the shrinker may spend. */
  shrink: whole(10_000),
  /** The longest sequence. */
  maxActions: whole(50),
  /** Where the failing scenario is written. */
  out: z.string().min(1),
  /** Fuzz traffic splits and GC (the platform's vocabulary) for a deployer of your own. */
  platform: z.boolean(),
});
export type ResolvedFuzzOptions = z.output<typeof fuzzOptionsSchema>;

const FUZZ_DEFAULTS = { deployer: REFERENCE, cdn: 'process', seed: '', runs: 10, shrink: 15, maxActions: 8, out: 'fuzz', platform: false };

export function resolveFuzzOptions(flags: object, env: Record<string, string | undefined>, file?: ConfigLayer): ResolvedFuzzOptions {
  const o = resolveLayers(fuzzOptionsSchema, FUZZ_DEFAULTS, flags, env, file);
  // Each scenario has its own reference deployer; a fuzzed sequence has none.
  if (o.deployer === REFERENCE)
    throw new HarnessError(
      'INVALID_OPTION',
      'skew fuzz needs --deployer',
      'name the deployer to fuzz: one of `skew list`, or a path to yours',
    );
  return o;
}

/**
 * Each key from the highest layer that sets it, validated once; an invalid value is an error
 * naming the layer it came from (`--cdn`, `$SKEW_CDN`, `skew.config.ts: cdn`) and the key.
 */
function resolveLayers<S extends z.ZodObject>(
  schema: S,
  defaults: Record<string, unknown>,
  given: object,
  env: Record<string, string | undefined>,
  file?: ConfigLayer,
): z.output<S> {
  const flags = given as Layer;
  const layers: Record<string, { value: unknown; from: string }> = {};
  for (const key of Object.keys(defaults)) {
    const name = ENV[key];
    const envValue = name ? env[name] : undefined;
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (flags[key] !== undefined) layers[key] = { value: flags[key], from: flag };
    else if (name && envValue !== undefined && envValue !== '')
      layers[key] = { value: typeof defaults[key] === 'boolean' ? envBoolean(name, envValue) : envValue, from: `$${name}` };
    else if (file && file.values[key] !== undefined) layers[key] = { value: file.values[key], from: `${file.path}: ${key}` };
    else layers[key] = { value: defaults[key], from: 'default' };
  }
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(layers).map(([k, v]) => [k, v.value])));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    const src = layers[key];
    const flag = `flag --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new HarnessError(
      'INVALID_OPTION',
      `${src?.from ?? key} = ${JSON.stringify(src?.value)} is not valid: ${issue.message}`,
      `set ${key} to an allowed value (${ENV[key] ? `${flag}, $${ENV[key]}` : flag} or the config file)`,
    );
  }
  return parsed.data;
}
