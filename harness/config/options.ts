import { z } from 'zod';
import { DEPLOYERS } from '../deployers/registry.ts';
import { isDeployerPath } from '../deployers/load.ts';
import { HarnessError } from '../errors/harness-error.ts';

/**
 * Run options, resolved one way: defaults < config file < SKEW_* environment < command-line
 * flags, validated once. Commander options carry no defaults so that lower layers can apply.
 */
export const runOptionsSchema = z.object({
  deployer: z.string().refine((d) => d === REFERENCE || d in DEPLOYERS || isDeployerPath(d), {
    message: `must be one of: ${Object.keys(DEPLOYERS).join(', ')}, or a path to your own deployer (./deploy.sh)`,
  }),
  /** auto: turbopack for the fixture; for an app, what its build script or Next version uses. */
  bundler: z.enum(['auto', 'turbopack', 'webpack']),
  cdn: z.enum(['process', 'container']),
  json: z.boolean(),
  /** Also write all runs' JUnit XML to this file ('' = no). Each run's own is in its run dir. */
  junit: z.string(),
  /** A user's Next.js project to run against instead of the fixture ('' = the fixture). */
  app: z.string(),
  /** Playwright traces: kept for the sessions that saw trouble (`failing`), or none (`off`). */
  trace: z.enum(['failing', 'off']),
  /** Seeds the faults' random choices ('' = a fresh seed, printed in the report). */
  /** HTTP clients through every deploy and rollback ('' or 0 = none). */
  load: z.string().regex(/^\d{0,5}$/, 'a whole number of clients (0 to 99999)'),
  /** Run each scenario's A→A control beside it: failures it shows too are noise (inconclusive). */
  control: z.boolean(),
  seed: z.string().regex(/^\d{0,10}$/, 'a whole number (or empty for a fresh seed)'),
});
export type ResolvedRunOptions = z.infer<typeof runOptionsSchema>;

/** The default deployer: each scenario's own good reference deployer (`skew list`). */
export const REFERENCE = 'reference';

export const DEFAULTS: ResolvedRunOptions = {
  deployer: REFERENCE,
  bundler: 'auto',
  cdn: 'process',
  json: false,
  junit: '',
  app: '',
  trace: 'failing',
  control: false,
  seed: '',
  load: '',
};

const ENV: Record<keyof ResolvedRunOptions, string> = {
  deployer: 'SKEW_DEPLOYER',
  bundler: 'SKEW_BUNDLER',
  cdn: 'SKEW_CDN',
  json: 'SKEW_JSON',
  junit: 'SKEW_JUNIT',
  app: 'SKEW_APP',
  trace: 'SKEW_TRACE',
  control: 'SKEW_CONTROL',
  seed: 'SKEW_SEED',
  load: 'SKEW_LOAD',
};

export function resolveRunOptions(
  flags: Partial<Record<keyof ResolvedRunOptions, unknown>>,
  env: Record<string, string | undefined>,
  file?: { path: string; values: Partial<Record<keyof ResolvedRunOptions, unknown>> },
): ResolvedRunOptions {
  const layers: Record<string, { value: unknown; from: string }> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof ResolvedRunOptions)[]) {
    const envValue = env[ENV[key]];
    if (flags[key] !== undefined) layers[key] = { value: flags[key], from: `--${key}` };
    else if (envValue !== undefined && envValue !== '')
      layers[key] = {
        value: key === 'json' || key === 'control' ? envValue === '1' || envValue === 'true' : envValue,
        from: `$${ENV[key]}`,
      };
    else if (file && file.values[key] !== undefined) layers[key] = { value: file.values[key], from: `${file.path}: ${key}` };
    else layers[key] = { value: DEFAULTS[key], from: 'default' };
  }
  const parsed = runOptionsSchema.safeParse(Object.fromEntries(Object.entries(layers).map(([k, v]) => [k, v.value])));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    const src = layers[key];
    throw new HarnessError(
      'INVALID_OPTION',
      `${src?.from ?? key} = ${JSON.stringify(src?.value)} is not valid: ${issue.message}`,
      `set ${key} to an allowed value (flag --${key}, $${ENV[key as keyof ResolvedRunOptions]} or the config file)`,
    );
  }
  return parsed.data;
}
