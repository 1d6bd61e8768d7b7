import type { MetricsSummary } from '../metrics-types.js';
import { colorOf, esc, percent, tokens, usd } from './format.js';
import type { ReportData } from './report-data.js';

interface Bar {
  label: string;
  value: number;
  color: string;
  /** Text after the bar. */
  note: string;
  attrs?: string;
}

/** Horizontal bars, largest first. */
export function barChart(bars: readonly Bar[], label: string): string {
  if (bars.length === 0) return '<p class="note">Nothing was spent.</p>';
  const max = Math.max(...bars.map((b) => b.value)) || 1;
  const rowH = 24;
  const height = bars.length * rowH + 4;
  const rows = bars.map((b, i) => {
    const y = i * rowH + 2;
    const w = Math.max(1, (b.value / max) * 330);
    return (
      `<g ${b.attrs ?? ''}><text x="0" y="${y + 15}" class="blabel">${esc(b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label)}</text>` +
      `<rect x="190" y="${y + 3}" width="${w}" height="16" rx="3" style="fill:${b.color}"><title>${esc(`${b.label}: ${b.note}`)}</title></rect>` +
      `<text x="${196 + w}" y="${y + 15}" class="bvalue">${esc(b.note)}</text></g>`
    );
  });
  return `<svg class="chart" width="640" height="${height}" viewBox="0 0 640 ${height}" role="img" aria-label="${esc(label)}">${rows.join('')}</svg>`;
}

/** Cost by node: the 15 most expensive, and the rest summed (a nested workflow's or loop's cost is its node's). */
export function costByNode(data: ReportData): string {
  const sorted = data.nodes.filter((n) => n.cost > 0 && n.depth === 0).sort((a, b) => b.cost - a.cost);
  const top = sorted.slice(0, 15).map((n) => ({ label: n.id, value: n.cost, color: colorOf(n.m), note: usd(n.cost), attrs: `data-node-cost="${esc(n.id)}"` }));
  const rest = sorted.slice(15);
  const restNote = rest.length > 0 ? `<p class="note">…and ${rest.length.toLocaleString('en-US')} more nodes: ${usd(rest.reduce((s, n) => s + n.cost, 0))}.</p>` : '';
  return barChart(top, 'cost by node') + restNote;
}

const modelEntries = (data: ReportData): Array<[string, MetricsSummary]> =>
  Object.entries(data.metrics.byModel).sort((a, b) => b[1].costUsd - a[1].costUsd);

/** Cost by model. */
export function costByModel(data: ReportData): string {
  const bars = modelEntries(data).map(([model, m]) => ({
    label: model,
    value: m.costUsd,
    color: colorOf(data.models.indexOf(model)),
    note: usd(m.costUsd),
    attrs: `data-model-cost="${esc(model)}" data-usd="${m.costUsd}"`,
  }));
  return barChart(bars, 'cost by model');
}

/** Tokens per model as stacked bars: uncached input, cached input, cache writes, output. */
export function tokensByModel(data: ReportData): string {
  const entries = modelEntries(data);
  if (entries.length === 0) return '';
  const max = Math.max(...entries.map(([, m]) => m.tokens.input + m.tokens.output)) || 1;
  const parts = [
    { key: 'plain', color: '#97bbf5', label: 'input' },
    { key: 'cached', color: '#3ca951', label: 'cached input' },
    { key: 'write', color: '#efb118', label: 'cache write' },
    { key: 'output', color: '#4269d0', label: 'output' },
  ] as const;
  const rows = entries.map(([model, m], i) => {
    const t = m.tokens;
    const values = { plain: t.input - t.cachedInput - t.cacheWrite, cached: t.cachedInput, write: t.cacheWrite, output: t.output };
    let x = 190;
    const y = i * 26 + 2;
    const segs = parts.map((p) => {
      const w = (Math.max(0, values[p.key]) / max) * 300;
      const rect = w > 0 ? `<rect x="${x}" y="${y + 3}" width="${w}" height="16" style="fill:${p.color}"><title>${esc(`${model} ${p.label}: ${values[p.key].toLocaleString('en-US')}`)}</title></rect>` : '';
      x += w;
      return rect;
    });
    const share = t.input > 0 ? percent(t.cachedInput / t.input) : '—';
    return `<text x="0" y="${y + 15}" class="blabel">${esc(model)}</text>${segs.join('')}<text x="${x + 6}" y="${y + 15}" class="bvalue">${tokens(t.input)} in (${share} cached) · ${tokens(t.output)} out</text>`;
  });
  const legend = parts.map((p) => `<span class="key"><i style="background:${p.color}"></i>${p.label}</span>`).join('');
  const height = entries.length * 26 + 4;
  return `<div class="legend">${legend}</div><svg class="chart" width="820" height="${height}" viewBox="0 0 820 ${height}" role="img" aria-label="tokens by model">${rows.join('')}</svg>`;
}
