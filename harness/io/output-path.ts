import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { HarnessError } from '../errors/harness-error.ts';

/**
 * Makes sure a file can be written at `path` before anything starts: its folder exists (made one
 * level at a time, top down: Node's recursive mkdir never returns under /proc), is a folder, and
 * is writable, and `path` is not a folder itself. A coded INVALID_OPTION naming `flag` otherwise.
 */
export async function prepareOutputFile(path: string, flag: string): Promise<string> {
  const file = resolve(path);
  const refuse = (why: string) =>
    new HarnessError(
      'INVALID_OPTION',
      `${flag} ${file}: cannot write there (${why})`,
      `give ${flag} a file path in a folder you can write to`,
    );
  const missing: string[] = [];
  let dir = dirname(file);
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
  await access(dirname(file), constants.W_OK).catch((e: NodeJS.ErrnoException) => {
    throw refuse(`${dirname(file)} is not writable: ${e.code}`);
  });
  if ((await stat(file).catch(() => undefined))?.isDirectory()) throw refuse('it is a folder');
  return file;
}
