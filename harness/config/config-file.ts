import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../errors/harness-error.ts';
import type { ConfigLayer } from './options.ts';

/** Looked for in the working directory, first found wins. */
export const CONFIG_FILES = ['skew.config.ts', 'skew.config.mjs', 'skew.config.js', 'skew.config.json'];

export type ConfigFile = ConfigLayer;

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
  'runs',
  'shrink',
  'maxActions',
  'out',
  'platform',
] as const;

/**
 * The config file layer (defaults < file < SKEW_* env < flags): `skew.config.ts` exporting
 * default `{ deployer, bundler, cdn, world, deploymentId, json, junit, app, trace, control, seed, load }` (and for
 * `skew fuzz`: runs, shrink, maxActions, out, platform). Unknown keys are an error naming the file;
 * values are validated with the other layers, so a bad one names the file and the key too.
 */
export async function loadConfigFile(cwd: string): Promise<ConfigFile | undefined> {
  const found = CONFIG_FILES.map((f) => join(cwd, f)).find((p) => existsSync(p));
  if (!found) return undefined;
  let raw: unknown;
  try {
    raw = found.endsWith('.json')
      ? JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(found, 'utf8')))
      : ((await import(pathToFileURL(found).href)) as { default?: unknown }).default;
  } catch (e) {
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
