import type { ScenarioReport } from './report.ts';

/**
 * JUnit XML for CI: one `<testsuite>` per scenario run (named scenario [deployer]), one
 * `<testcase>` per check. A failed check is a `<failure>` with its evidence; an inconclusive one
 * is an `<error type="inconclusive">` so that CI does not count it as passed (the CLI exits 2).
 */
export function toJUnit(reports: readonly ScenarioReport[]): string {
  const count = (r: ScenarioReport, v: string) => r.checks.filter((c) => c.verdict === v).length;
  const total = (v: string) => reports.reduce((a, r) => a + count(r, v), 0);
  const tests = reports.reduce((a, r) => a + r.checks.length, 0);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="skew" tests="${tests}" failures="${total('fail')}" errors="${total('inconclusive')}" time="${seconds(reports.reduce((a, r) => a + r.durationMs, 0))}">`,
  ];
  for (const r of reports) {
    // The world is named when it is not the default, so a run of several worlds keeps suites apart.
    const suite = `${r.scenario} [${r.deployer}${r.world && r.world !== 'pinned' ? `, ${r.world}` : ''}]`;
    lines.push(
      `  <testsuite name="${attr(suite)}" tests="${r.checks.length}" failures="${count(r, 'fail')}" errors="${count(r, 'inconclusive')}" skipped="0" time="${seconds(r.durationMs)}" timestamp="${attr(r.startedAt.replace(/\.\d+Z$/, ''))}">`,
    );
    lines.push(
      '    <properties>',
      ...[
        ['deployer', r.deployer],
        ['cdn', r.cdn],
        ['world', r.world ?? 'pinned'],
        ['deploymentId', r.deploymentIdMode ?? 'on'],
        ['bundler', r.bundler],
        ['verdict', r.verdict],
        ['runDir', r.runDir],
        ['rerun', r.rerun],
      ].map(([k, v]) => `      <property name="${k}" value="${attr(v!)}"/>`),
      '    </properties>',
    );
    for (const c of r.checks) {
      const open = `    <testcase classname="${attr(`skew.${r.scenario}`)}" name="${attr(c.check)}" time="0">`;
      const body = text(c.evidence.join('\n'));
      if (c.verdict === 'pass') lines.push(`${open}<system-out>${body}</system-out></testcase>`);
      else if (c.verdict === 'fail')
        lines.push(`${open}<failure message="${attr(c.evidence[0] ?? 'failed')}" type="fail">${body}</failure></testcase>`);
      else lines.push(`${open}<error message="${attr(c.evidence[0] ?? 'inconclusive')}" type="inconclusive">${body}</error></testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/** XML 1.0 allows no control characters but tab, CR, LF; evidence may quote anything. */
function clean(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '?');
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

/**
 * One JUnit file from several (a sharded nightly: one per runner): every `<testsuite>` in order,
 * under one `<testsuites>` whose counts and time are the sums of the parts'.
 */
export function mergeJUnit(parts: readonly string[]): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let time = 0;
  const suites: string[] = [];
  for (const xml of parts) {
    const root = /<testsuites\b([^>]*)>/.exec(xml);
    const num = (name: string) => Number(new RegExp(`\\b${name}="([\\d.]+)"`).exec(root?.[1] ?? '')?.[1] ?? 0);
    tests += num('tests');
    failures += num('failures');
    errors += num('errors');
    time += num('time');
    suites.push(...(xml.match(/<testsuite\b[\s\S]*?<\/testsuite>/g) ?? []).map((s) => `  ${s.trimStart()}`));
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="skew" tests="${tests}" failures="${failures}" errors="${errors}" time="${time.toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
