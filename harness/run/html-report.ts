import { CHECKS } from '../checks/index.ts';
import { ofType, type Stamped } from '../core/history.ts';
import type { CheckResult } from '../core/verdict.ts';
import { formatEvent } from '../core/witness.ts';
import { deployerPart, type ScenarioReport } from './report.ts';

/**
 * A self-contained `report.html` for one run: the verdict and every check with its evidence,
 * and a timeline with one time axis for the steps, the deployer's actions (deploys, purges,
 * splits, store changes) and each browser session's requests, errors and reloads. Hover shows
 * details (SVG titles); no script, no external file.
 */
export function renderHtmlReport(report: ScenarioReport, events: readonly Stamped[]): string {
  const end = Math.max(1, ...events.map((e) => e.t));
  const W = 1100;
  const LABEL = 150;
  const x = (t: number) => LABEL + ((W - LABEL - 10) * t) / end;
  const sessions = [...new Set(ofType(events, 'session-open').map((s) => s.session))];
  const faults = ofType(events, 'fault');
  const lanes = ['steps', 'platform', ...(faults.length ? ['faults'] : []), ...sessions];
  const LANE = 28;
  const y = (lane: string) => 24 + lanes.indexOf(lane) * LANE;
  const svg: string[] = [];
  // Axis, with a tick per second.
  for (let s = 0; s <= end / 1000; s++)
    svg.push(
      `<line x1="${x(s * 1000)}" y1="14" x2="${x(s * 1000)}" y2="${24 + lanes.length * LANE}" class="tick"/><text x="${x(s * 1000) + 2}" y="11" class="axis">${s}s</text>`,
    );
  for (const l of lanes) svg.push(`<text x="4" y="${y(l) + 16}" class="lane">${esc(l)}</text>`);
  // Steps: bars from start to end, red when the step failed.
  const starts = ofType(events, 'step').filter((s) => s.phase === 'start');
  for (const s of starts) {
    const done = ofType(events, 'step').find((e) => e.phase === 'end' && e.index === s.index);
    const w = Math.max(2, x(done?.t ?? end) - x(s.t) - 1); // a 1 px gap shows where steps meet
    svg.push(
      `<rect x="${x(s.t)}" y="${y('steps') + 4}" width="${w}" height="18" class="step${done?.error ? ' bad' : ''}"><title>step ${s.index + 1}: ${esc(s.label)}${done?.error ? ` — ${esc(done.error)}` : ''}</title></rect>`,
    );
  }
  // Platform and deployer: deploys, purges, traffic, store changes, clock moves.
  const mark = (t: number, cls: string, title: string) =>
    svg.push(`<rect x="${x(t) - 3}" y="${y('platform') + 6}" width="6" height="14" class="${cls}"><title>${esc(title)}</title></rect>`);
  for (const d of ofType(events, 'deployer'))
    mark(
      d.t,
      d.ok ? 'deploy' : 'bad',
      `${d.deployer} ${d.action} ${d.version}${d.refused ? ` refused: ${d.refused}` : ''}${d.error ? ` failed: ${d.error}` : ''} (${d.ms} ms)`,
    );
  for (const p of ofType(events, 'purge'))
    mark(
      p.t,
      (p.status ?? 200) < 300 ? 'purge' : 'bad',
      `purge ${JSON.stringify(p.request ?? p.body ?? {})} → ${p.evicted.length} evicted`,
    );
  for (const s of ofType(events, 'traffic'))
    mark(s.t, 'split', `traffic: ${s.table.map((r) => `${r.revisionName} ${r.percent} %`).join(', ')} (${s.by})`);
  for (const b of ofType(events, 'bucket'))
    mark(
      b.t,
      b.deleted.length ? 'bad' : 'deploy',
      `store after ${b.after}: +${b.uploaded.length} −${b.deleted.length}${b.deleted.length ? `: ${b.deleted.slice(0, 8).join(', ')}` : ''}`,
    );
  // Faults: a band from inject to heal (to the end when the run healed it).
  for (const f of faults.filter((e) => e.phase === 'inject')) {
    const healed = faults.find((e) => e.phase === 'heal' && e.id === f.id && e.t >= f.t);
    svg.push(
      `<rect x="${x(f.t)}" y="${y('faults') + 6}" width="${Math.max(2, x(healed?.t ?? end) - x(f.t))}" height="14" class="fault"><title>${esc(f.id)} [${esc(f.area)}]: ${esc(f.label)}${healed ? '' : ' (healed at the end of the run)'}</title></rect>`,
    );
  }
  for (const h of faults.filter((e) => e.phase === 'hit'))
    svg.push(`<text x="${x(h.t) - 4}" y="${y('faults') + 18}" class="err">⚡<title>${esc(h.label)}</title></text>`);
  // Sessions: a dot per response (red ≥ 400), crosses for errors, a bar for hard reloads.
  for (const r of ofType(events, 'response')) {
    if (!sessions.includes(r.session)) continue;
    const path = safePath(r.url);
    svg.push(
      `<circle cx="${x(r.t)}" cy="${y(r.session) + 13}" r="3" class="${r.status >= 400 ? 'bad' : r.resource === 'document' ? 'doc' : 'ok'}"><title>${r.status} ${esc(path)} (${r.resource}, CF-Cache-Status ${esc(r.cache ?? '-')}, deployment ${esc(r.deployment ?? '-')})</title></circle>`,
    );
  }
  for (const e of [...ofType(events, 'pageerror'), ...ofType(events, 'console-error')]) {
    if (sessions.includes(e.session))
      svg.push(`<text x="${x(e.t) - 4}" y="${y(e.session) + 18}" class="err">✕<title>${esc(e.message.slice(0, 300))}</title></text>`);
  }
  for (const h of ofType(events, 'hard-reload'))
    svg.push(
      `<rect x="${x(h.t) - 2}" y="${y(h.session) + 2}" width="4" height="22" class="reload"><title>hard reload during ${esc(h.during)} → ${esc(h.url)} (version ${esc(h.version ?? '?')})</title></rect>`,
    );
  for (const a of ofType(events, 'action'))
    svg.push(
      `<text x="${x(a.t) - 4}" y="${y(a.session) + 8}" class="${a.outcome === 'ok' ? 'act' : 'err'}">▾<title>${esc(a.action)} ${esc(a.target)}: ${a.outcome}${a.detail ? ` — ${esc(a.detail)}` : ''}</title></text>`,
    );

  const verdictClass = { pass: 'pass', fail: 'fail', inconclusive: 'inc', interrupted: 'inc' }[report.verdict];
  const fix = (name: string) => (CHECKS[name] ? `<p class="fix">fix: ${esc(CHECKS[name]!.fix)}</p>` : '');
  const checks = report.checks
    .map(
      (c) =>
        `<tr class="${{ pass: 'pass', fail: 'fail', inconclusive: 'inc' }[c.verdict]}"><td>${c.verdict.toUpperCase()}</td><td>${esc(c.check)}</td><td><ul>${c.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>${c.verdict === 'fail' ? fix(c.check) : ''}${c.witness ? witnessHtml(c.witness) : ''}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>skew: ${esc(report.scenario)} with ${esc(report.deployer)} — ${report.verdict}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 4px} .meta{color:#555;margin-bottom:16px}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:600}
.verdict.pass,tr.pass td:first-child{background:#1a7f37;color:#fff} .verdict.fail,tr.fail td:first-child{background:#cf222e;color:#fff} .verdict.inc,tr.inc td:first-child{background:#9a6700;color:#fff}
table{border-collapse:collapse;width:100%;margin-top:8px} td{border-top:1px solid #ddd;padding:6px;vertical-align:top} td:first-child{width:110px;text-align:center;font-weight:600} td:nth-child(2){width:190px;font-family:monospace}
ul{margin:0;padding-left:18px} li{font-family:monospace;font-size:12px;word-break:break-all}
svg{border:1px solid #ddd;background:#fafafa} .tick{stroke:#eee} .axis{font-size:10px;fill:#888} .lane{font-size:12px;font-family:monospace}
.step{fill:#8ab4f8} .step.bad,.bad{fill:#cf222e} .deploy{fill:#1f6feb} .purge{fill:#8250df} .split{fill:#bf8700} .ok{fill:#1a7f37} .doc{fill:#0969da} .err{fill:#cf222e;font-size:14px} .act{fill:#57606a;font-size:12px} .reload{fill:#fb8500} .fault{fill:#d1242f;fill-opacity:.35}
code{background:#f3f3f3;padding:1px 4px} .fix{margin:6px 0 0;color:#0a3069}
</style></head><body>
<h1>${esc(report.scenario)} — ${esc(report.title)} <span class="verdict ${verdictClass}">${report.verdict.toUpperCase()}</span></h1>${report.headline ? `\n<p class="fix"><b>${esc(report.headline)}</b></p>` : ''}
<div class="meta">deployer <b>${esc(report.deployer)}</b> (${esc(deployerPart(report))}), ${report.world ?? 'pinned'} world, ${report.deploymentIdMode === 'off' ? 'no deployment id, ' : ''}cdn ${report.cdn}, ${report.bundler}, ${(report.durationMs / 1000).toFixed(1)} s, started ${esc(report.startedAt)}${report.seed !== undefined ? `, seed ${report.seed}` : ''} · rerun: <code>${esc(report.rerun)}</code></div>${report.limit ? `\n<div class="meta">the limit here: no deployer passes this scenario in this world: ${esc(report.limit)}</div>` : ''}
<h2>Checks</h2>
<table id="checks">${checks}</table>
<h2>Timeline</h2>
<p class="meta">Steps, the deployer and platform (deploys, purges, traffic, store changes), then one lane per browser session: dots are responses (red ≥ 400), ✕ errors, ▾ actions, orange bars hard reloads; a faults lane shows each injected fault from inject to heal. Hover for details.</p>
<svg id="timeline" width="${W}" height="${30 + lanes.length * LANE}" xmlns="http://www.w3.org/2000/svg">${svg.join('')}</svg>
${tracesSection(report)}
<p class="meta">Evidence: <code>${esc(report.runDir)}</code> (history.jsonl, report.json, junit.xml, logs/)</p>
</body></html>
`;
}

/** Links to the Playwright traces of the sessions that saw trouble (relative: the report sits in the run directory). */
function tracesSection(report: ScenarioReport): string {
  const traces = Object.entries(report.traces ?? {});
  if (!traces.length) return '';
  const items = traces
    .map(
      ([session, path]) =>
        `<li><a href="${esc(path)}">${esc(session)}</a> · <code>npx playwright show-trace ${esc(`${report.runDir}/${path}`)}</code></li>`,
    )
    .join('');
  return `<h2>Playwright traces</h2>
<p class="meta">Every action, request and DOM snapshot of the sessions that saw an error, a hard reload, a failed action or a failing /_next request.</p>
<ul id="traces">${items}</ul>`;
}

function safePath(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A failed check's witness: the few events of the history that alone make it fail. */
function witnessHtml(w: NonNullable<CheckResult['witness']>): string {
  return `<details class="witness" open><summary>witness: ${w.events.length} of ${w.of} events alone fail it${w.minimal ? '' : ' (search budget reached)'}</summary><ol>${w.events.map((e) => `<li><code>${esc(formatEvent(e, 400))}</code></li>`).join('')}</ol></details>`;
}
