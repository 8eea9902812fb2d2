import { HarnessError } from '../../harness/errors/harness-error.ts';
import { probeSite } from '../../harness/probe/probe-site.ts';
import { EXIT, type Io } from '../io.ts';

export interface ProbeFlags {
  json?: boolean;
  afterPurge?: boolean;
  maxChunks?: string;
}

/** `skew probe <url>`: the rollback document's verification against a live site. */
export async function probeCommand(io: Io, url: string, flags: ProbeFlags): Promise<number> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HarnessError('INVALID_OPTION', `"${url}" is not a URL`, 'give a full URL, e.g. http://127.0.0.1:8080/ or https://staging.example.com/');
  }
  const maxChunks = flags.maxChunks === undefined ? undefined : Number(flags.maxChunks);
  if (maxChunks !== undefined && !(Number.isInteger(maxChunks) && maxChunks > 0 && maxChunks <= 200)) {
    throw new HarnessError('INVALID_OPTION', `--max-chunks ${flags.maxChunks} is not valid`, 'a whole number from 1 to 200');
  }
  const result = await probeSite(parsed.toString(), { afterPurge: !!flags.afterPurge, ...(maxChunks ? { maxChunks } : {}) }).catch((e: unknown) => {
    throw new HarnessError('ORIGIN_FAILED', `cannot reach ${parsed.toString()}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`, 'is the site up, and the URL right?');
  });
  if (flags.json) io.out(JSON.stringify(result, null, 2) + '\n');
  else {
    io.out(`${result.ok ? 'OK  ' : 'FAIL'}  ${result.url}  build ${result.buildId ?? '?'}${result.deploymentId && result.deploymentId !== result.buildId ? ` (deployment ${result.deploymentId})` : ''}\n`);
    for (const f of result.findings) io.out(`  ${f.ok ? 'ok  ' : 'FAIL'} ${f.what.padEnd(15)} ${f.detail}\n`);
  }
  return result.ok ? EXIT.pass : EXIT.fail;
}
