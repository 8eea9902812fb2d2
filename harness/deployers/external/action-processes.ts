import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * What an unconfined action left running (no sandbox, so no PID namespace to end with it): the
 * members of its process group (`sleep &`, `nohup … &`) and every process still carrying its
 * marker in its environment, which `setsid … &` and double forks inherit though they leave the
 * group. Only a process that clears its own environment and leaves the group escapes this.
 */
export const ACTION_MARKER = 'SKEW_ACTION_MARKER';

/** Stops them (SIGTERM, SIGKILL after `graceMs`) and names them, as `name (N×)` per command. */
export async function endAction(pgid: number | undefined, marker: string, graceMs: number): Promise<string[]> {
  if (!pgid) return [];
  const found = actionProcesses(pgid, marker);
  if (!found.length) return [];
  signal(found, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (actionProcesses(pgid, marker).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  signal(actionProcesses(pgid, marker), 'SIGKILL');
  return counted(found.map((p) => p.cmd));
}

/**
 * A timeout's SIGTERM: to every process of the action but the sandbox's own (`spare`, bwrap's
 * executable), which would otherwise die of it and take the PID namespace down at once, leaving
 * the deployer no grace to clean up.
 */
export function terminate(pgid: number | undefined, marker: string, spare?: string): void {
  if (!pgid) return;
  signal(
    actionProcesses(pgid, marker).filter((p) => !spare || exeOf(p.pid) !== spare),
    'SIGTERM',
  );
}

function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

interface Found {
  pid: number;
  cmd: string;
}

function actionProcesses(pgid: number, marker: string): Found[] {
  const tag = `${ACTION_MARKER}=${marker}`;
  const out: Found[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      // Field 5 of /proc/<pid>/stat is the process group; the name in parentheses may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const inGroup = Number(fields[2]) === pgid;
      if (!inGroup && !readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(tag)) continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      out.push({ pid: Number(name), cmd: (cmd || stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))).slice(0, 200) });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

function signal(found: readonly Found[], sig: NodeJS.Signals): void {
  for (const { pid } of found) {
    try {
      process.kill(pid, sig);
    } catch {
      // gone meanwhile
    }
  }
}

/** One entry per command, as the sandbox's forwarder reports them: `sleep 604 (12×)`. */
export function counted(cmds: readonly string[]): string[] {
  const n = new Map<string, number>();
  for (const c of cmds) n.set(c, (n.get(c) ?? 0) + 1);
  return [...n].map(([c, k]) => (k > 1 ? `${c} (${k}×)` : c));
}
