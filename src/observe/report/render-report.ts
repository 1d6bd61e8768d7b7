import type { MetricsSummary } from '../metrics-types.js';
import { budgetChart } from './budget-chart.js';
import { costByModel, costByNode, tokensByModel } from './charts-svg.js';
import { colorOf, duration, esc, percent, scriptJson, tokens, usd } from './format.js';
import { graphSection } from './graph-svg.js';
import { REASONING_EXCERPT_CHARS, type ReportData } from './report-data.js';
import { REPORT_SCRIPT } from './report-script.js';
import { REPORT_STYLE } from './report-style.js';

function card(label: string, value: string, sub: string, figure: string): string {
  return `<div class="card" data-figure="${figure}"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="sub">${esc(sub)}</div></div>`;
}

function cards(data: ReportData): string {
  const m = data.metrics;
  const t = m.total;
  const n = m.nodes;
  const limit = data.budget.limitUsd;
  const rc = t.responseCache;
  return [
    card('Total cost', usd(t.costUsd), `${t.calls.toLocaleString('en-US')} calls · ${t.attempts.toLocaleString('en-US')} attempts`, 'total-cost'),
    card('Budget', limit === undefined ? 'no limit' : `${percent(t.costUsd / limit)} used`, limit === undefined ? `${data.budget.level ?? 'run'} level` : `of ${usd(limit)} (${data.budget.level} level)`, 'budget'),
    card('Nodes', n.total.toLocaleString('en-US'), `${n.succeeded.toLocaleString('en-US')} ok · ${n.failed} failed · ${n.skipped} skipped${n.cancelled ? ` · ${n.cancelled} cancelled` : ''}`, 'node-count'),
    card('Duration', duration(data.durationMs), data.incomplete ? 'trace ends mid-run' : `run ${data.status}`, 'duration'),
    card('Tokens', `${tokens(t.tokens.input)} in`, `${tokens(t.tokens.output)} out · ${tokens(t.tokens.reasoning)} reasoning`, 'tokens'),
    card('Prompt cache', percent(t.cacheHitRate), `${tokens(t.tokens.cachedInput)} cached · ${tokens(t.tokens.cacheWrite)} written`, 'cache-hit-rate'),
    card('Response cache', rc.lookups === 0 ? 'off' : `${rc.hits}/${rc.lookups} hits`, rc.lookups === 0 ? 'no call opted in' : `${percent(rc.hitRate)} · saved ${usd(rc.savedUsd)}`, 'response-cache'),
    card('Retries', `${t.retries} ↻ · ${t.fallbacks} ⇢`, `wasted ${usd(t.wastedUsd)} on ${t.wastedAttempts} attempts`, 'retries'),
    card('Latency', `${duration(t.ttftMs.median)} TTFT`, `p95 ${duration(t.ttftMs.p95)} · attempt p50 ${duration(t.latencyMs.median)}`, 'latency'),
  ].join('');
}

function modelRow(model: string, s: MetricsSummary, data: ReportData): string {
  const k = s.tokens;
  const cells = [
    `<td><span class="key"><i style="background:${colorOf(data.models.indexOf(model))}"></i>${esc(model)}</span></td>`,
    `<td class="num">${s.calls}</td>`,
    `<td class="num">${s.attempts}</td>`,
    `<td class="num">${k.input.toLocaleString('en-US')}</td>`,
    `<td class="num">${k.cachedInput.toLocaleString('en-US')} (${percent(s.cacheHitRate)})</td>`,
    `<td class="num">${k.cacheWrite.toLocaleString('en-US')}</td>`,
    `<td class="num">${k.output.toLocaleString('en-US')}</td>`,
    `<td class="num">${duration(s.ttftMs.median)} / ${duration(s.ttftMs.p95)}</td>`,
    `<td class="num" data-model-cost-cell="${esc(model)}">${usd(s.costUsd)}</td>`,
  ];
  return `<tr>${cells.join('')}</tr>`;
}

function modelTable(data: ReportData): string {
  const rows = Object.entries(data.metrics.byModel)
    .sort((a, b) => b[1].costUsd - a[1].costUsd)
    .map(([model, s]) => modelRow(model, s, data));
  return (
    '<table class="models"><thead><tr><th>model</th><th class="num">calls</th><th class="num">attempts</th><th class="num">input</th>' +
    '<th class="num">cached input</th><th class="num">cache write</th><th class="num">output</th><th class="num">TTFT p50 / p95</th><th class="num">cost</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function modelLegend(data: ReportData): string {
  const models = data.models.map((m, i) => `<span class="key"><i style="background:${colorOf(i)}"></i>${esc(m)}</span>`).join('');
  const marks = '<span class="key"><b class="marker marker-retry">↻</b> retried</span><span class="key"><b class="marker marker-fallback">⇢</b> fell back</span><span class="key"><b class="marker marker-error">✗</b> failed</span>';
  return `<div class="legend">${models}${marks}</div>`;
}

const NODE_TABLE =
  '<div class="controls"><input id="nodes-filter" type="search" placeholder="filter by node, model or status"/>' +
  '<button id="nodes-prev" type="button">‹ prev</button><button id="nodes-next" type="button">next ›</button><span id="nodes-pager" class="note"></span></div>' +
  '<table><thead><tr><th data-sort="id">node</th><th data-sort="model">model</th><th data-sort="status">status</th><th data-sort="attempts" class="num">attempts</th>' +
  '<th data-sort="retries" class="num">retries</th><th data-sort="tin" class="num">input</th><th data-sort="tout" class="num">output</th><th data-sort="cost" class="num">cost</th>' +
  '<th data-sort="time" class="num">time</th></tr></thead><tbody id="nodes-body"></tbody></table>';

/** A node as the page script gets it: the reasoning text is rendered once, in its own section. */
function withoutReasoning(node: ReportData['nodes'][number]): ReportData['nodes'][number] {
  if (node.reasoning === undefined) return node;
  const { reasoning: _reasoning, ...rest } = node;
  return rest;
}

/** The reasoning the models streamed, per node (an excerpt each), when any did. */
function reasoningSection(data: ReportData): string {
  const nodes = data.nodes.filter((node) => node.reasoning !== undefined && node.reasoning !== '');
  if (nodes.length === 0) return '';
  const items = nodes.slice(0, 100).map((node) => {
    const more = node.reasoning!.length >= REASONING_EXCERPT_CHARS ? '…' : '';
    return `<details data-reasoning="${esc(node.id)}"><summary>${esc(node.id)} <span class="note">${tokens(node.treason)} reasoning tokens</span></summary><p>${esc(node.reasoning!)}${more}</p></details>`;
  });
  const rest = nodes.length > 100 ? `<p class="note">and ${nodes.length - 100} more nodes</p>` : '';
  return `<section id="reasoning"><h2>Reasoning</h2>${items.join('')}${rest}</section>`;
}

/**
 * The run report: one self-contained HTML page (inline CSS, SVG and script; no network) with the summary figures,
 * the graph with each node's model, the Gantt timeline of nodes and attempts (retries and fallbacks marked), cost
 * by model and by node, tokens with the cached share, the budget over time, and the reasoning the models streamed.
 */
export function renderReport(data: ReportData, title = `${data.workflow} · switchyard run report`): string {
  const started = data.startedAt === undefined ? '' : ` · started ${new Date(data.startedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${REPORT_STYLE}</style></head>
<body>
<header><h1>${esc(data.workflow)} <span class="badge ${esc(data.status)}" data-figure="status">${esc(data.status)}</span></h1>
<div class="meta">run ${esc(data.runId)}${esc(started)}</div></header>
<main>
<div class="cards">${cards(data)}</div>
<section id="graph"><h2>Graph</h2>${graphSection(data)}</section>
<section id="timeline"><h2>Timeline <span class="note" id="gantt-count"></span></h2>${modelLegend(data)}<div id="gantt-axis"></div><div id="gantt"><div id="gantt-inner"></div></div></section>
<div class="two"><section id="cost-by-model"><h2>Cost by model</h2>${costByModel(data)}</section>
<section id="cost-by-node"><h2>Cost by node</h2>${costByNode(data)}</section></div>
<section id="models"><h2>Tokens and latency by model</h2>${tokensByModel(data)}${modelTable(data)}</section>
<section id="budget"><h2>Budget over time</h2>${budgetChart(data)}</section>
<section id="nodes"><h2>Nodes</h2>${NODE_TABLE}</section>
${reasoningSection(data)}
</main>
<footer>Generated by switchyard from a run trace. Costs are computed from the usage each provider reported, at catalog prices.</footer>
<script type="application/json" id="report-data">${scriptJson({ durationMs: data.durationMs, models: data.models, nodes: data.nodes.map(withoutReasoning) })}</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}
