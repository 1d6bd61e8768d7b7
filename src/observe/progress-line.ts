import type { BudgetFigures, RunEvent } from '../run/events.js';
import { MetricsCollector } from './metrics-collector.js';
import type { RunMetrics } from './metrics-types.js';

/** The budget a progress line shows: the limit (when there is one) of the level that applies. */
export interface ProgressBudget {
  limitUsd?: number;
}

const BAR = 20;

/** $12.34 · $0.50 · $0.0123 (four decimals below a dollar, trailing zeros past the cents dropped). */
function money(usd: number): string {
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  return `$${usd.toFixed(4).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

/**
 * One line of progress: nodes done out of the total, spend against the budget, retries and the cached share.
 * @example
 * progressLine(metrics, { limitUsd: 0.5 })
 * // '[██████████░░░░░░░░░░] 3/6 nodes · $0.0123 of $0.50 (2.5%) · 1 retry · 61% input cached'
 */
export function progressLine(metrics: RunMetrics, budget: ProgressBudget = {}): string {
  const n = metrics.nodes;
  const done = n.succeeded + n.failed + n.skipped + n.cancelled;
  const filled = n.total === 0 ? 0 : Math.round((done / n.total) * BAR);
  const parts = [`[${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}] ${done}/${n.total} nodes`];
  const spent = metrics.total.costUsd;
  parts.push(budget.limitUsd === undefined ? `${money(spent)} spent` : `${money(spent)} of ${money(budget.limitUsd)} (${((spent / budget.limitUsd) * 100).toFixed(1)}%)`);
  const { retries, fallbacks } = metrics.total;
  if (retries > 0) parts.push(`${retries} ${retries === 1 ? 'retry' : 'retries'}`);
  if (fallbacks > 0) parts.push(`${fallbacks} fallback${fallbacks === 1 ? '' : 's'}`);
  if (n.failed > 0) parts.push(`${n.failed} failed`);
  if (metrics.total.tokens.cachedInput > 0) parts.push(`${Math.round(metrics.total.cacheHitRate * 100)}% input cached`);
  return parts.join(' · ');
}

/** Where `liveProgress` writes: a terminal (the line is redrawn in place) or any other stream (a line per node). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** What `liveProgress` watches: a run's events. */
interface EventSource {
  on(type: '*', handler: (event: RunEvent) => void): unknown;
}

/** The level whose limit a progress line shows: the run's when it has one, else the tightest. */
function limitOf(levels: readonly BudgetFigures[]): number | undefined {
  return levels.find((l) => l.level === 'run' && l.limitUsd !== undefined)?.limitUsd ?? levels.find((l) => l.limitUsd !== undefined)?.limitUsd;
}

/**
 * Prints a run's progress line as it goes: on a terminal one line redrawn in place (call `clear()` before printing
 * anything else, the next update redraws it), elsewhere one line per finished node. The budget limit is read from
 * the run's `budget` events. On a terminal, the line ends with a newline when the run ends.
 * @example
 * const run = sy.run(wf, input, { budget: { usd: 0.5 } });
 * liveProgress(run, process.stdout);
 */
export function liveProgress(run: EventSource, stream: ProgressStream): { clear(): void } {
  const metrics = new MetricsCollector();
  let limitUsd: number | undefined;
  let shown = false;
  const clear = () => {
    if (shown && stream.isTTY) stream.write('\r\x1b[2K');
    shown = false;
  };
  const draw = () => {
    const line = progressLine(metrics.snapshot(), { limitUsd });
    if (stream.isTTY) stream.write(`\r\x1b[2K${line}`);
    else stream.write(`${line}\n`);
    shown = true;
  };
  run.on('*', (event) => {
    metrics.observe(event);
    if (event.type === 'budget') limitUsd = limitOf(event.levels) ?? limitUsd;
    if (event.type === 'node-end' || event.type === 'node-error' || event.type === 'node-skip') draw();
    else if (event.type === 'run-end' && stream.isTTY) {
      draw();
      stream.write('\n');
      shown = false;
    } else if (stream.isTTY && (event.type === 'node-start' || event.type === 'budget')) draw();
  });
  return { clear };
}
