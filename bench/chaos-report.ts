/** Renders the chaos benchmark's figures as a markdown section (for docs/benchmarks.md). */
import { availableParallelism, cpus, loadavg } from 'node:os';
import type { Fault } from '../src/testing/index.js';
import type { ChaosFigures, ChaosRun } from './chaos.js';
import { PACING } from './chaos-workload.js';

const usd = (n: number) => (n === Infinity ? '—' : `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`);
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;

function describeFault(fault: Fault): string {
  if (fault.type === 'http') return `HTTP ${fault.status}${fault.retryAfterMs ? ` (Retry-After ${fault.retryAfterMs} ms)` : ''}`;
  if (fault.type === 'cut') return `stream cut after ${fault.afterTokens} tokens`;
  if (fault.type === 'hang') return `stream hangs after ${fault.afterTokens ?? 0} tokens`;
  return fault.type;
}

function runColumn(run: ChaosRun): string[] {
  const faults = Object.values(run.faults).reduce((a, b) => a + b, 0);
  return [
    `${run.completed} / ${run.nodes}`,
    ms(run.makespanMs),
    `${ms(run.nodeP50Ms)} / ${ms(run.nodeP95Ms)}`,
    `${run.requests} (${(run.requests / run.nodes).toFixed(2)} per node)`,
    String(run.attempts),
    String(faults),
    String(run.retries),
    String(run.fallbacks),
    String(run.circuitChanges),
    usd(run.costUsd),
  ];
}

function runTable(f: ChaosFigures): string[] {
  const labels = [
    'nodes completed',
    'makespan',
    'node duration p50 / p95',
    'HTTP requests (simulated endpoints)',
    'attempts reported by the result',
    'requests with an injected fault',
    '`node-retry` events',
    '`node-fallback` events',
    '`circuit` events',
    'cost',
  ];
  const rate = pct(f.options.faultRate);
  const columns = [runColumn(f.clean), runColumn(f.chaos), runColumn(f.no429)];
  return [
    `| | no faults | ${rate} faults | ${rate} faults, no 429 |`,
    '|---|---|---|---|',
    ...labels.map((label, i) => `| ${label} | ${columns.map((c) => c[i]).join(' | ')} |`),
  ];
}

function budgetTable(run: ChaosRun): string[] {
  return [
    '| level | limit | spent | highest spent + reserved | overspend |',
    '|---|---|---|---|---|',
    ...run.budgets.map((b) => `| ${b.level} | ${usd(b.limitUsd)} | ${usd(b.spentUsd)} | ${usd(b.peakCommittedUsd)} | ${usd(b.overspendUsd)} |`),
  ];
}

function mixTable(f: ChaosFigures): string[] {
  return [
    '| task kind | calls | routed to | routed by task | all on gpt-5.5 |',
    '|---|---|---|---|---|',
    ...f.mix.rows.map((r) => `| ${r.task} | ${r.calls} | ${r.routedModels} | ${usd(r.routedUsd)} | ${usd(r.allGpt55Usd)} |`),
    `| **total** | ${f.mix.rows.reduce((s, r) => s + r.calls, 0)} | | **${usd(f.mix.routedUsd)}** | **${usd(f.mix.allGpt55Usd)}** |`,
  ];
}

/** Routed / all-gpt-5.5 cost over the kinds the table sends to a cheaper model. */
function lightRatio(f: ChaosFigures): number {
  const light = f.mix.rows.filter((r) => r.routedUsd < r.allGpt55Usd);
  return light.reduce((s, r) => s + r.routedUsd, 0) / light.reduce((s, r) => s + r.allGpt55Usd, 0);
}

/** The section, headline first. */
export function renderChaosSection(f: ChaosFigures, faults: readonly Fault[], retry: Record<string, number>): string {
  const { shape } = f.options;
  const nodes = shape.chains * shape.stages;
  return [
    '## Chaos: faults, failover and budgets',
    '',
    `A workflow of ${nodes.toLocaleString('en-US')} \`.llm\` nodes (${shape.chains} chains of ${shape.stages}, each node routed by task) on two`,
    `simulated endpoints that serve the same models, with ${pct(f.options.faultRate)} of requests failing, drawn evenly from:`,
    `${faults.map(describeFault).join('; ')}. Endpoints answer in ${PACING.firstTokenMs} ms + ${PACING.tokensPerSecond.toLocaleString('en-US')} tokens/s.`,
    `Retry policy: \`${JSON.stringify(retry)}\`; circuit breakers and retry budget at their defaults. Budgets: run`,
    `${usd(f.options.runBudgetUsd)}, instance ${usd(f.options.instanceBudgetUsd)}. Seed ${f.options.seed}; one run per column on ${cpus()[0]?.model.trim() ?? 'CPU'},`,
    `${availableParallelism()} cores, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' / ')} (a shared machine: timings vary by tens of percent).`,
    '',
    '| measure | result | target |',
    '|---|---|---|',
    `| nodes completed | **${pct(f.completedShare)}** | 100% |`,
    `| overspend at any level | **${usd(f.overspendUsd)}** | $0 |`,
    `| requests per node | **${f.requestsPerNode.toFixed(2)}** | |`,
    `| HTTP requests = attempts reported | ${f.chaos.requests === f.chaos.attempts ? 'yes' : '**no**'} (${f.chaos.requests} / ${f.chaos.attempts}) | equal |`,
    `| added latency (makespan) | **+${ms(f.addedLatencyMs)}** (${ms(f.clean.makespanMs)} → ${ms(f.chaos.makespanMs)}) | |`,
    '',
    ...runTable(f),
    '',
    `Most of the added latency is the endpoint-wide pause: a Retry-After from one call holds back every call to that`,
    `endpoint until it passes, and with random 429s on ${pct(f.options.faultRate / 5)} of requests one arrives in almost every burst. Without`,
    `429s the same fault rate adds ${ms(f.no429.makespanMs - f.clean.makespanMs)}. Circuit breakers open on bursts of fast failures`,
    `(5 in a row), which sends later calls to the other endpoint or the next model of the task's list; that is also`,
    'why the faulty runs cost less: several next choices are cheaper models.',
    '',
    'Budget levels in the faulty run (the highest spent + reserved is read from every `budget` event):',
    '',
    ...budgetTable(f.chaos),
    '',
    '### Cost of routing by task',
    '',
    `A workload mix over the task kinds of the default routing table, each call with its typical input and output`,
    `sizes (prompts of that size, so routing sees it; gpt-5.5's long-context tier applies above 272K), priced from`,
    `the catalog. Routed by task, it costs **${(f.mix.ratio * 100).toFixed(0)}%** of sending everything to gpt-5.5`,
    `(ratio ${f.mix.ratio.toFixed(3)}): ${usd(f.mix.routedUsd)} against ${usd(f.mix.allGpt55Usd)}.`,
    '',
    ...mixTable(f),
    '',
    `Only the light work (classification, summarization, extraction, chat) moves to a cheaper model, at half the`,
    `price; on those kinds alone the ratio is ${lightRatio(f).toFixed(2)}. Agentic, computer-use, research and long-context work`,
    'stays on gpt-5.5, and critical work costs more when routed (gpt-5.5-pro, about 6× gpt-5.5): the table trades',
    'money for reliability there on purpose. The ratio depends on the mix; the per-kind figures do not.',
    'Reproduce with `npx tsx bench/chaos.ts`.',
    '',
  ].join('\n');
}
