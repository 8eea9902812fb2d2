import { access, constants } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aKind, pathKind } from '../io/path-kind.ts';
import { shellArg } from '../io/shell.ts';
import { HarnessError } from '../errors/harness-error.ts';
import type { Deployer } from './deployer.ts';
import { commandDeployer } from './external/command-deployer.ts';
import { interpreterProblem } from './external/shebang.ts';
import { DEPLOYERS } from './registry.ts';

const MODULE = /\.(m?[jt]s)$/;

/** True when a `--deployer` value names a file rather than one of ours. */
export function isDeployerPath(spec: string): boolean {
  return spec.includes('/') || MODULE.test(spec) || spec.endsWith('.sh');
}

/**
 * Resolves `--deployer`: one of ours by name, a JS/TS module exporting a Deployer (default or
 * `deployer`), or any executable command (docs/deployer-contract.md).
 */
export async function loadDeployer(spec: string, cwd = process.cwd()): Promise<Deployer> {
  const ours = DEPLOYERS[spec];
  if (ours) return ours;
  if (!isDeployerPath(spec)) {
    throw new HarnessError(
      'UNKNOWN_DEPLOYER',
      `unknown deployer "${spec}"`,
      `choose one of: ${Object.keys(DEPLOYERS).join(', ')}, or give a path (./deploy.sh, ./deployer.ts)`,
    );
  }
  const path = resolve(cwd, spec);
  // Said for what it is: a FIFO or /dev/null exists, and "does not exist" sent people looking elsewhere.
  const kind = await pathKind(path);
  if (kind !== 'file')
    throw new HarnessError(
      'UNKNOWN_DEPLOYER',
      kind === 'missing' ? `deployer file ${path} does not exist` : `deployer ${path} is ${aKind(kind)}, not a file`,
      kind === 'folder'
        ? `give the script or module inside it (e.g. ${join(spec, 'deploy.sh')})`
        : 'give the path of a script or a JS/TS module, relative to the current directory',
    );
  if (MODULE.test(path)) return fromModule(path);
  const executable = await access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!executable)
    throw new HarnessError(
      'INVALID_OPTION',
      `deployer ${path} is not executable`,
      `chmod +x ${spec} (it is run as a command, with a #! line)`,
    );
  // Before anything is built: sh would call a missing interpreter the script "not found".
  const cannotStart = await interpreterProblem(path);
  if (cannotStart) throw cannotStart;
  return commandDeployer(path);
}

async function fromModule(path: string): Promise<Deployer> {
  let mod: { default?: unknown; deployer?: unknown };
  try {
    mod = (await import(pathToFileURL(path).href)) as typeof mod;
  } catch (e) {
    // A syntax error, a missing import, a throw at the top level: the user's module, not skew.
    const why = e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
    throw new HarnessError(
      'INVALID_OPTION',
      `deployer module ${path} failed to load: ${why}`,
      `run \`node ${shellArg(path)}\` (or tsx) to see the whole error, fix it, then run again`,
      {
        cause: e,
      },
    );
  }
  const d = (mod.default ?? mod.deployer) as Partial<Deployer> | undefined;
  if (!d || typeof d.deploy !== 'function' || typeof d.rollback !== 'function' || typeof d.name !== 'string') {
    throw new HarnessError(
      'INVALID_OPTION',
      `module ${path} does not export a deployer`,
      'export default { name, description, reference: "external", deploy(ctx), rollback(ctx) } (see docs/deployer-contract.md)',
    );
  }
  return { description: `module ${path}`, ...d, reference: 'external', module: path } as Deployer;
}
