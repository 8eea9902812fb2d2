import { diagnose } from '../../harness/doctor/doctor.ts';
import { EXIT, type Io } from '../io.ts';

/** `skew doctor`: exit 0 when a run can work (warnings only affect optional modes), 69 otherwise. */
export async function doctorCommand(io: Io, opts: { json?: boolean }): Promise<number> {
  const findings = await diagnose(io.env, io.cwd);
  const code = findings.some((f) => f.status === 'fail') ? EXIT.environment : EXIT.pass;
  if (opts.json) {
    io.out(`${JSON.stringify({ ok: code === EXIT.pass, findings }, null, 2)}\n`);
    return code;
  }
  const mark = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;
  const lines = findings.flatMap((f) => [
    `${mark[f.status]}  ${f.what.padEnd(17)} ${f.detail}`,
    ...(f.fix && f.status !== 'ok' ? [`      ${''.padEnd(17)} fix: ${f.fix}`] : []),
  ]);
  lines.push('', code === EXIT.pass ? 'skew can run here.' : 'skew cannot run here yet: fix the FAIL lines above.');
  io.out(`${lines.join('\n')}\n`);
  return code;
}
