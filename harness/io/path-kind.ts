import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';

export type PathKind = 'file' | 'folder' | 'FIFO' | 'device' | 'socket' | 'missing';

/**
 * What a path given as input is, without opening it: opening a FIFO blocks until a writer comes
 * (and a libuv thread stuck in open() keeps the process from ever exiting, signals included), and
 * a device reads as something else than the user meant. Symlinks are followed.
 */
export async function pathKind(path: string): Promise<PathKind> {
  const st = await stat(path).catch(() => undefined);
  return st ? kindOf(st) : 'missing';
}

export function kindOf(st: Stats): PathKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'folder';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  return 'device';
}

/** "a FIFO", "a folder", …: for messages that say what a path is instead of what was wanted. */
export function aKind(kind: Exclude<PathKind, 'missing'>): string {
  return kind === 'FIFO' ? 'a FIFO' : `a ${kind}`;
}
