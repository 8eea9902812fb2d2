import { HarnessError } from '../../harness/errors/harness-error.ts';
import { PROBE_TIMEOUT_MS, probeSite, type ProbeResult } from '../../harness/probe/probe-site.ts';
import { EXIT, type Io } from '../io.ts';

export interface ProbeFlags {
  json?: boolean;
  afterPurge?: boolean;
  maxChunks?: string;
  timeout?: string;
}

/**
 * `skew probe <url...>`: the rollback document's verification against a live site. Several URLs
 * are the same page through several edge locations (PoPs): each is reported on its own, and
 * locations that serve different builds are a finding of their own.
 */
export async function probeCommand(io: Io, urls: string[], flags: ProbeFlags): Promise<number> {
  const parsed = urls.map((url) => {
    const u = URL.canParse(url) ? new URL(url) : undefined;
    // A page is fetched over HTTP: ftp://, file:// and the like are a mistake in the input.
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
      throw new HarnessError(
        'INVALID_OPTION',
        u ? `"${url}" is not an http(s) URL` : `"${url}" is not a URL`,
        'give a full URL, e.g. http://127.0.0.1:8080/ or https://staging.example.com/',
      );
    return u.toString();
  });
  const maxChunks = flags.maxChunks === undefined ? undefined : Number(flags.maxChunks);
  if (maxChunks !== undefined && !(Number.isInteger(maxChunks) && maxChunks > 0 && maxChunks <= 200)) {
    throw new HarnessError('INVALID_OPTION', `--max-chunks ${flags.maxChunks} is not valid`, 'a whole number from 1 to 200');
  }
  const timeout = flags.timeout === undefined ? PROBE_TIMEOUT_MS / 1000 : Number(flags.timeout);
  if (!(Number.isFinite(timeout) && timeout > 0 && timeout <= 3600))
    throw new HarnessError('INVALID_OPTION', `--timeout ${flags.timeout} is not valid`, 'a number of seconds, above 0 and at most 3600');
  const results: ProbeResult[] = [];
  for (const url of parsed) {
    results.push(
      await probeSite(url, { afterPurge: !!flags.afterPurge, timeoutMs: timeout * 1000, ...(maxChunks ? { maxChunks } : {}) }).catch(
        (e: unknown) => {
          if (e instanceof Error && e.name === 'TimeoutError')
            throw new HarnessError(
              'PROBE_TIMEOUT',
              `${url}: a request got no answer within ${timeout} s`,
              'the server accepted the connection but did not answer: is it hung? A slow site: skew probe --timeout <seconds>',
            );
          throw new HarnessError(
            'ORIGIN_FAILED',
            `cannot reach ${url}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`,
            'is the site up, and the URL right?',
          );
        },
      ),
    );
  }
  const builds = [...new Set(results.map((r) => r.deploymentId ?? r.buildId ?? '?'))];
  const agree = builds.length <= 1;
  if (flags.json) io.out(`${JSON.stringify(results.length === 1 ? results[0] : { locations: results, sameBuild: agree }, null, 2)}\n`);
  else {
    for (const result of results) {
      io.out(
        `${result.ok ? 'OK  ' : 'FAIL'}  ${result.url}  build ${result.buildId ?? '?'}${result.deploymentId && result.deploymentId !== result.buildId ? ` (deployment ${result.deploymentId})` : ''}\n`,
      );
      for (const f of result.findings) io.out(`  ${f.ok ? 'ok  ' : 'FAIL'} ${f.what.padEnd(15)} ${f.detail}\n`);
    }
    if (results.length > 1) {
      io.out(
        agree
          ? `OK    all ${results.length} locations serve ${builds[0]}\n`
          : `FAIL  the locations serve different builds: ${results.map((r) => `${r.url} ${r.deploymentId ?? r.buildId ?? '?'}`).join(', ')} — a HIT with an Age where the old build shows means the purge did not reach that location\n`,
      );
    }
  }
  return results.every((r) => r.ok) && agree ? EXIT.pass : EXIT.fail;
}
