import { duration, esc, percent, usd } from './format.js';
import type { BudgetPoint, ReportData } from './report-data.js';

/** The chart's size and margins, in SVG units. */
export const BUDGET_CHART = { W: 640, H: 200, PAD: { l: 72, r: 12, t: 12, b: 28 } } as const;
const { W, H, PAD } = BUDGET_CHART;

/** The limit is drawn on the same scale when the run held at least this share of it at once. */
const LIMIT_IN_VIEW = 0.25;

/** A round axis top at or above `value`: 1, 2 or 5 times a power of ten. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= value * (1 - 1e-9)) ?? 10 * power;
}

/**
 * Where the y axis ends. Near the limit (the run held a good share of it): the limit, drawn. Far below it: a
 * scale that fits what was spent, so the spend does not lie flat on $0 (what was held on top of it may run off
 * the top, and says so).
 */
export function budgetScale(points: readonly BudgetPoint[], limitUsd: number | undefined): { yMax: number; limitInView: boolean } {
  const held = Math.max(0, ...points.map((p) => p[1] + p[2]));
  const spent = Math.max(0, ...points.map((p) => p[1]));
  if (limitUsd !== undefined && limitUsd > 0 && held >= limitUsd * LIMIT_IN_VIEW) return { yMax: Math.max(limitUsd, held) * 1.05, limitInView: true };
  return { yMax: niceCeil((spent > 0 ? spent : held) * 1.1), limitInView: false };
}

/** An axis label: $0, $0.0025, $0.01, $12.5 */
const tick = (v: number) => (v === 0 ? '$0' : `$${Number(v.toPrecision(3))}`);

/** A step line through the points: each value holds until the next event, from the run's start to its end. */
function steps(points: readonly BudgetPoint[], value: (p: BudgetPoint) => number, x: (t: number) => number, y: (v: number) => number, tEnd: number): string {
  const out = [`${x(0).toFixed(1)},${y(0).toFixed(1)}`];
  let last = 0;
  for (const p of points) {
    out.push(`${x(p[0]).toFixed(1)},${y(last).toFixed(1)}`, `${x(p[0]).toFixed(1)},${y(value(p)).toFixed(1)}`);
    last = value(p);
  }
  out.push(`${x(tEnd).toFixed(1)},${y(last).toFixed(1)}`);
  return out.join(' ');
}

/**
 * Spent, and spent + reserved (each attempt holds its worst case until it settles), over the run's time, against
 * the limit. When the run used a small share of its limit, the scale fits the spend so the lines do not lie flat
 * on zero, and the limit is named above the chart instead.
 */
export function budgetChart(data: ReportData): string {
  const { points, limitUsd, level } = data.budget;
  if (points.length === 0) return '<p class="note">No budget movements.</p>';
  const tEnd = Math.max(data.durationMs, points[points.length - 1]![0]) || 1;
  const { yMax, limitInView } = budgetScale(points, limitUsd);
  const x = (t: number) => PAD.l + (t / tEnd) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (Math.min(v, yMax) / yMax) * (H - PAD.t - PAD.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * (limitInView ? yMax / 1.05 : yMax));
  const grid = ticks
    .map((v) => `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="${v === 0 ? 'axis' : 'grid'}"/><text x="${PAD.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="bvalue">${tick(v)}</text>`)
    .join('');
  const time = `<text x="${PAD.l}" y="${H - 8}" class="bvalue">0</text><text x="${W - PAD.r}" y="${H - 8}" text-anchor="end" class="bvalue">${duration(tEnd)}</text>`;
  const limit =
    limitUsd === undefined || !limitInView
      ? ''
      : `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(limitUsd).toFixed(1)}" y2="${y(limitUsd).toFixed(1)}" class="limit"/><text x="${W - PAD.r}" y="${(y(limitUsd) - 4).toFixed(1)}" text-anchor="end" class="bvalue">limit ${usd(limitUsd)}</text>`;
  const last = points[points.length - 1]!;
  const peak = Math.max(...points.map((p) => p[1] + p[2]));
  const of = (v: number) => (limitUsd ? ` (${percent(v / limitUsd)} of the limit)` : '');
  const scaleNote =
    limitUsd !== undefined && !limitInView
      ? `<p class="note">Limit ${usd(limitUsd)} (${esc(level ?? 'run')} level) is above this scale: the run spent ${percent(last[1] / limitUsd)} of it and held at most ${percent(peak / limitUsd)} at once.</p>`
      : '';
  const offTop = peak > yMax ? ', above the top of the chart' : '';
  return (
    scaleNote +
    `<svg class="chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="budget over time" data-y-max="${yMax}">${grid}${time}${limit}` +
    `<polyline points="${steps(points, (p) => p[1] + p[2], x, y, tEnd)}" class="reserved"/><polyline points="${steps(points, (p) => p[1], x, y, tEnd)}" class="spent"/></svg>` +
    `<div class="legend"><span class="key"><i style="background:#4269d0"></i>spent (${esc(level ?? 'run')} level): ${usd(last[1])}${of(last[1])}</span>` +
    `<span class="key"><i style="background:#c5d3f5"></i>spent + reserved: peak ${usd(peak)}${of(peak)}${offTop}</span></div>`
  );
}
