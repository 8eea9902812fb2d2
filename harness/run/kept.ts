import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Stacks held up by `skew repro --keep`: one JSON file per run under `runs/.kept/`, naming the
 * process that holds it. `skew down` asks that process to tear down (SIGTERM) and waits.
 */
export interface KeptRecord {
  runId: string;
  pid: number;
  edgeUrl: string;
  origins: Record<string, string>;
  deployRoot: string;
  runDir: string;
}

export const keptDir = (runsDir: string) => join(runsDir, '.kept');

export async function writeKept(runsDir: string, r: KeptRecord): Promise<string> {
  await mkdir(keptDir(runsDir), { recursive: true });
  const file = join(keptDir(runsDir), `${r.runId}.json`);
  await writeFile(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

export async function readKept(runsDir: string): Promise<{ file: string; record: KeptRecord }[]> {
  const names = await readdir(keptDir(runsDir)).catch(() => [] as string[]);
  const out: { file: string; record: KeptRecord }[] = [];
  for (const n of names.filter((x) => x.endsWith('.json'))) {
    const file = join(keptDir(runsDir), n);
    const record = JSON.parse(await readFile(file, 'utf8').catch(() => 'null')) as KeptRecord | null;
    if (record?.pid) out.push({ file, record });
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function removeKept(file: string): Promise<void> {
  await rm(file, { force: true });
}
