import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError, isHarnessError } from '../errors/harness-error.ts';
import { Interrupted, interruptedBy, isInterrupted, onInterrupt } from '../io/interrupt.ts';
import { aKind, pathKind } from '../io/path-kind.ts';
import type { ConfigLayer } from './options.ts';

/** Looked for in the working directory, first found wins. */
export const CONFIG_FILES = ['skew.config.ts', 'skew.config.mjs', 'skew.config.js', 'skew.config.json'];

export type ConfigFile = ConfigLayer;

/**
 * What `skew.config.ts` may export (`export default { … } satisfies SkewConfig`): `skew run`'s
 * options by their flag's name in camelCase, then `skew fuzz`'s own. Flags and SKEW_* override it.
 */
export interface SkewConfig {
  /** The deployer under test: a name from `skew list`, or a path to your script or module. */
  deployer?: string;
  bundler?: 'auto' | 'turbopack' | 'webpack';
  cdn?: 'process' | 'container';
  world?: 'pinned' | 'single-origin' | 'rolling';
  deploymentId?: 'on' | 'off';
  json?: boolean;
  /** Also write JUnit XML of every run to this file. */
  junit?: string;
  /** Your Next.js project ('.' = the folder skew runs in). */
  app?: string;
  trace?: 'failing' | 'off';
  control?: boolean;
  seed?: number | string;
  load?: number | string;
  workers?: number | 'auto';
  /** Seconds one deployer action may take. */
  deployerTimeout?: number;
  runs?: number;
  shrink?: number;
  maxActions?: number;
  out?: string;
  platform?: boolean;
}

/** `skew run`'s options, then `skew fuzz`'s own (deployer, cdn and seed are shared). */
const KEYS = [
  'deployer',
  'bundler',
  'cdn',
  'world',
  'deploymentId',
  'json',
  'junit',
  'app',
  'trace',
  'control',
  'seed',
  'load',
  'workers',
  'deployerTimeout',
  'runs',
  'shrink',
  'maxActions',
  'out',
  'platform',
] as const satisfies readonly (keyof SkewConfig)[];
// And the other way: a key of SkewConfig that the loader would refuse fails to compile.
type Refused = Exclude<keyof SkewConfig, (typeof KEYS)[number]>;
export const EVERY_CONFIG_KEY_LOADS: [Refused] extends [never] ? true : Refused = true;

/**
 * The config file layer (defaults < file < SKEW_* env < flags): `skew.config.ts` exporting
 * default `{ deployer, bundler, cdn, world, deploymentId, json, junit, app, trace, control, seed,
 * load, workers, deployerTimeout }` (and for `skew fuzz`: runs, shrink, maxActions, out,
 * platform). Unknown keys are an error naming the file; values are validated with the other
 * layers, so a bad one names the file and the key too.
 */
export async function loadConfigFile(cwd: string, opts: { importTimeoutMs?: number } = {}): Promise<ConfigFile | undefined> {
  const found = CONFIG_FILES.map((f) => join(cwd, f)).find((p) => existsSync(p));
  if (!found) return undefined;
  // Never opened unless a regular file: reading a FIFO would wait for a writer forever.
  const kind = await pathKind(found);
  if (kind !== 'file' && kind !== 'missing')
    throw new HarnessError('INVALID_CONFIG', `${found} is ${aKind(kind)}, not a file`, 'make it a file, or remove it');
  let raw: unknown;
  try {
    raw = found.endsWith('.json')
      ? JSON.parse(await readFile(found, 'utf8'))
      : ((await importWithin(found, opts.importTimeoutMs ?? IMPORT_TIMEOUT_MS)) as { default?: unknown }).default;
  } catch (e) {
    if (isHarnessError(e) || isInterrupted(e)) throw e;
    throw new HarnessError(
      'INVALID_CONFIG',
      `${found} could not be loaded: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      'fix the syntax; a .ts/.mjs file must `export default { … }`',
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HarnessError(
      'INVALID_CONFIG',
      `${found} must export an object (export default { deployer: './deploy.sh' })`,
      `allowed keys: ${KEYS.join(', ')}`,
    );
  }
  const unknown = Object.keys(raw).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length)
    throw new HarnessError(
      'INVALID_CONFIG',
      `${found}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      `allowed keys: ${KEYS.join(', ')}`,
    );
  return { path: found, values: raw as ConfigLayer['values'] };
}

/** How long a config module may take to load: its top-level code runs before anything else. */
const IMPORT_TIMEOUT_MS = 10_000;

/**
 * Imports a config module, bounded: a top-level await that never settles would otherwise hang
 * the command without a word. A signal meanwhile ends the wait at once (the import itself cannot
 * be cancelled, but the process exits).
 */
async function importWithin(path: string, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  let unhook = () => {};
  try {
    return await Promise.race([
      import(pathToFileURL(path).href),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new HarnessError(
                'INVALID_CONFIG',
                `${path} did not finish loading within ${timeoutMs / 1000} s`,
                'its top-level code waits on something that never comes (an await that never settles, a prompt, a network call): a config file must only `export default { … }`',
              ),
            ),
          timeoutMs,
        );
      }),
      new Promise((_, reject) => {
        unhook = onInterrupt(() => reject(new Interrupted(interruptedBy() ?? 'SIGINT')));
      }),
    ]);
  } finally {
    clearTimeout(timer);
    unhook();
  }
}
