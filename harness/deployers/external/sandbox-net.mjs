// Runs inside the deployer's bubblewrap sandbox, whose network namespace has only its own
// loopback: listens on 127.0.0.1:<port> for each port of the stack the deployer may reach (the
// edge, the purge API, the process manager), passes each connection through the Unix socket
// <sockets>/<port> that the harness serves outside, then runs the deployer's command and exits
// with its code. Plain JavaScript: it starts in ~40 ms on every action.
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';

const [sockets, portList, ...command] = process.argv.slice(2);
const ports = portList ? portList.split(',').filter(Boolean) : [];
await Promise.all(
  ports.map(
    (port) =>
      new Promise((resolve, reject) => {
        const server = createServer((inside) => {
          const outside = connect(join(sockets, port));
          inside.on('error', () => outside.destroy());
          outside.on('error', () => inside.destroy());
          inside.pipe(outside).pipe(inside);
        });
        server.once('error', reject);
        server.listen(Number(port), '127.0.0.1', () => resolve(server));
      }),
  ),
);
const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
// A timeout's SIGTERM goes to the whole group, the command included: this process stays to end
// what the command leaves, until the SIGKILL that follows after the grace.
process.on('SIGTERM', () => {});
child.once('error', (e) => {
  process.stderr.write(`sandbox: cannot run ${command[0]}: ${e.message}\n`);
  process.exit(127);
});
child.once('exit', async (code, signal) => {
  await endLeftovers();
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});

// The action is over: whatever it started and left running (`nohup … &`, `setsid … &`, a
// daemon) is named on stderr for the harness (LEFT_PREFIX, harness/deployers/external/
// sandbox-action.ts reads it), gets SIGTERM, and SIGKILL after GRACE_MS. This PID namespace's
// /proc lists exactly the action's processes; its first process (bwrap's) going kills any left.
const LEFT_PREFIX = 'skew-sandbox: left running: ';
const GRACE_MS = 2_000;
const MAX_LINES = 20;
function others() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === 1 || pid === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      if (cmd) out.push({ pid, cmd }); // zombies have none: nothing to stop
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
async function endLeftovers() {
  const left = others();
  // One line per command (a fork bomb leaves a thousand of one), at most MAX_LINES of them.
  const counts = new Map();
  for (const p of left) counts.set(p.cmd.slice(0, 200), (counts.get(p.cmd.slice(0, 200)) ?? 0) + 1);
  for (const [cmd, n] of [...counts].slice(0, MAX_LINES)) process.stderr.write(`${LEFT_PREFIX}${cmd}${n > 1 ? ` (${n}×)` : ''}\n`);
  if (counts.size > MAX_LINES) process.stderr.write(`${LEFT_PREFIX}… and ${counts.size - MAX_LINES} other command(s)\n`);
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {}
  }
  const deadline = Date.now() + GRACE_MS;
  while (others().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const p of others()) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {}
  }
}
