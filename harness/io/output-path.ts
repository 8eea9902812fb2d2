import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { HarnessError } from '../errors/harness-error.ts';

/**
 * Makes sure a file can be written at `path` before anything starts: its folder is ready
 * (prepareFolder) and `path` is not a folder itself. A coded INVALID_OPTION naming `flag` otherwise.
 */
export async function prepareOutputFile(path: string, flag: string): Promise<string> {
  const file = resolve(path);
  const refuse = (why: string) =>
    new HarnessError(
      'INVALID_OPTION',
      `${flag} ${file}: cannot write there (${why})`,
      `give ${flag} a file path in a folder you can write to`,
    );
  await prepareFolder(dirname(file), refuse);
  if ((await stat(file).catch(() => undefined))?.isDirectory()) throw refuse('it is a folder');
  return file;
}

/**
 * The folder runs are written to (`runs/`): made if missing, and writable, before anything
 * starts. Not a user's option but the machine's state, so an environment error when it is not.
 */
export async function prepareRunsFolder(dir: string): Promise<void> {
  await prepareFolder(
    resolve(dir),
    (why) =>
      new HarnessError(
        'RUNS_FOLDER_UNUSABLE',
        `skew cannot write its runs to ${resolve(dir)} (${why})`,
        'run skew from a folder you can write to (a file named runs, or a read-only checkout, is in the way)',
      ),
  );
}

/**
 * Makes `dir` exist and checks it is a writable folder: the missing folders are made one level at
 * a time, top down (Node's recursive mkdir never returns under /proc). `refuse` says why not.
 */
async function prepareFolder(target: string, refuse: (why: string) => Error): Promise<void> {
  const missing: string[] = [];
  let dir = target;
  for (;;) {
    const s = await stat(dir).catch((e: NodeJS.ErrnoException) => e);
    if (!(s instanceof Error)) {
      if (!s.isDirectory()) throw refuse(`${dir} is not a folder`);
      break;
    }
    if (s.code !== 'ENOENT') throw refuse(`${dir}: ${s.code}`);
    if (dirname(dir) === dir) throw refuse(`${dir} does not exist`);
    missing.unshift(dir);
    dir = dirname(dir);
  }
  for (const d of missing)
    await mkdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw refuse(`cannot create ${d}: ${e.code}`);
    });
  await access(target, constants.W_OK).catch((e: NodeJS.ErrnoException) => {
    throw refuse(`${target} is not writable: ${e.code}`);
  });
}
