import { CONTENDER_LABELS, OVERHEAD_CONTENDERS, type OverheadRow } from './overhead.js';
import type { MakespanRow } from './makespan.js';
import type { StreamRow } from './stream-throughput.js';
import type { Machine } from './machine.js';
import { fmt } from './stats.js';

/** Everything one bench run measured. */
export interface BenchResults {
  machine: Machine;
  command: string;
  totalSeconds: number;
  /** Load averages when the run ended. */
  loadAfter: string;
  makespan?: MakespanRow[];
  overhead?: OverheadRow[];
  stream?: StreamRow[];
}

export const TARGETS = { makespanRatio: 1.02, usPerNode: 25, growth: 1.25, deltasPerSec: 1_000_000 };

const table = (head: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const verdict = (ok: boolean): string => (ok ? 'met' : '**MISSED**');

function machineSection(r: BenchResults): string {
  const m = r.machine;
  return [
    `- Date: ${m.date}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}`,
    `- Load average (1 / 5 / 15 min; other work shares these 2 cores): ${m.loadAverage} when the run started, ${r.loadAfter} when it ended`,
    `- Node ${m.node}; @langchain/langgraph ${m.langgraph}, @langchain/core ${m.langchainCore}`,
    `- Command: \`${r.command}\` (whole run: ${r.totalSeconds.toFixed(0)} s)`,
  ].join('\n');
}

function growthOf(rows: OverheadRow[], family: OverheadRow['family'], contender: string) {
  const sized = rows.filter((r) => r.family === family && r.contender === contender).sort((a, b) => a.nodes - b.nodes);
  if (sized.length < 2) return undefined;
  const small = sized[0]!;
  const large = sized.at(-1)!;
  return { small, large, ratio: large.usPerNode / small.usPerNode };
}

function summarySection(r: BenchResults): string {
  const rows: string[][] = [];
  for (const m of r.makespan ?? []) {
    const ratio = m.switchyardMs / m.criticalPathMs;
    rows.push([`1. makespan / critical path, ${m.graph}`, `≤ ${TARGETS.makespanRatio}`, fmt.ratio(ratio), verdict(ratio <= TARGETS.makespanRatio)]);
  }
  const judged = (r.overhead ?? []).filter((x) => (x.contender === 'sy-llm' && x.nodes >= 2_000) || (x.contender === 'sy-step' && x.nodes >= 10_000));
  for (const o of judged) {
    const how = o.contender === 'sy-llm' ? '.llm on simulated(): the whole stack' : '.step: the scheduler alone';
    const fullGc = (r.overhead ?? []).find((x) => x.contender === 'sy-llm-fullgc' && x.shape === o.shape && o.contender === 'sy-llm');
    const afterGc = fullGc ? `; ${fmt.us(fullGc.usPerNode)} right after a full gc()` : '';
    const measured = `${fmt.us(o.usPerNode)} (CPU ${fmt.us(o.cpuUsPerNode)})${afterGc}`;
    rows.push([`2. µs per node, ${o.shape} (${how})`, `≤ ${TARGETS.usPerNode}`, measured, verdict(o.usPerNode <= TARGETS.usPerNode)]);
  }
  for (const family of ['chain', 'dag'] as const) {
    const g = growthOf(r.overhead ?? [], family, 'sy-llm');
    if (!g) continue;
    const what = `2. growth ${g.small.nodes.toLocaleString('en-US')} → ${g.large.nodes.toLocaleString('en-US')} nodes, ${family} (µs/node ratio)`;
    rows.push([what, `linear (≤ ${TARGETS.growth})`, fmt.ratio(g.ratio), verdict(g.ratio <= TARGETS.growth)]);
  }
  for (const s of (r.stream ?? []).filter((x) => x.engine === 'switchyard')) {
    const what = `3. text-delta events/s, ${s.nodes} concurrent nodes → one for-await consumer`;
    rows.push([what, `≥ ${fmt.int(TARGETS.deltasPerSec)}`, fmt.int(s.deltasPerSec), verdict(s.deltasPerSec >= TARGETS.deltasPerSec)]);
  }
  return table(['Benchmark', 'Target', 'Measured (median)', 'Verdict'], rows);
}

function makespanSection(rows: MakespanRow[]): string {
  const head = ['Graph', 'Nodes', 'Depth', 'Critical path ms', 'Ideal ms', 'switchyard ms', 'LangGraph ms', 'switchyard / CP', 'ideal / CP', 'LangGraph / CP', 'supersteps model / CP'];
  const body = rows.map((m) => [
    m.graph,
    String(m.nodes),
    String(m.depth),
    String(m.criticalPathMs),
    fmt.ms(m.idealMs),
    fmt.ms(m.switchyardMs),
    fmt.ms(m.langgraphMs),
    fmt.ratio(m.switchyardMs / m.criticalPathMs),
    fmt.ratio(m.idealMs / m.criticalPathMs),
    fmt.ratio(m.langgraphMs / m.criticalPathMs),
    fmt.ratio(m.superstepModelMs / m.criticalPathMs),
  ]);
  const reps = [...new Set(rows.map((m) => m.reps))].join(' / ');
  return [
    table(head, body),
    '',
    `Medians of ${reps} interleaved repetitions, after one warm-up run of each contender on the graph. *Ideal*: the same graph as bare promises that await their`,
    'dependencies and then `setTimeout` for the latency — the floor any JavaScript scheduler meets on this',
    'machine (timer granularity, event-loop contention). *Supersteps model*: what a superstep scheduler takes',
    'with perfect timers (each step lasts as long as its slowest node).',
  ].join('\n');
}

function overheadSection(rows: OverheadRow[]): string {
  const shapes = [...new Map(rows.map((r) => [r.shape, r])).values()];
  const cell = (shape: string, contender: string) => {
    const r = rows.find((x) => x.shape === shape && x.contender === contender);
    return r ? `${fmt.us(r.usPerNode)} / ${fmt.us(r.cpuUsPerNode)} (${fmt.ms(r.medianMs)} ms)` : 'not run';
  };
  const ratio = (shape: string) => {
    const lg = rows.find((x) => x.shape === shape && x.contender === 'langgraph');
    const sy = rows.find((x) => x.shape === shape && x.contender === 'sy-llm');
    return lg && sy ? fmt.x(lg.usPerNode / sy.usPerNode) : '—';
  };
  const head = ['Shape', 'Nodes', ...OVERHEAD_CONTENDERS.map((c) => CONTENDER_LABELS[c]), 'LangGraph / switchyard .llm'];
  const body = shapes.map((s) => [s.shape, fmt.int(s.nodes), ...OVERHEAD_CONTENDERS.map((c) => cell(s.shape, c)), ratio(s.shape)]);
  const growth: string[][] = [];
  for (const family of ['chain', 'dag'] as const) {
    for (const contender of OVERHEAD_CONTENDERS) {
      const g = growthOf(rows, family, contender);
      if (!g) continue;
      growth.push([family, CONTENDER_LABELS[contender], `${fmt.int(g.small.nodes)}: ${fmt.us(g.small.usPerNode)}`, `${fmt.int(g.large.nodes)}: ${fmt.us(g.large.usPerNode)}`, fmt.ratio(g.ratio)]);
    }
  }
  const repsOf = (sy: boolean) => [...new Set(rows.filter((r) => (r.contender === 'langgraph') !== sy).map((r) => r.reps))].join(' or ');
  return [
    'µs per node, wall / CPU (process CPU time, all threads), median run time in parentheses:',
    '',
    table(head, body),
    '',
    'Growth (µs per node at the largest size over the smallest; 1.0 = linear):',
    '',
    table(['Shape', 'Engine', 'Small', 'Large', 'Ratio'], growth),
    '',
    `Repetitions: switchyard ${repsOf(true)} per shape (fewer at 10,000 nodes), each contender warmed up once on the`,
    `shape first; LangGraph ${repsOf(false)} (warmed up by the global warm-up only: one of its runs takes seconds).`,
    'Growth is judged on wall time; at 1,000 nodes the fixed cost of a run (validation, compile, result) weighs more.',
  ].join('\n');
}

function streamSection(rows: StreamRow[]): string {
  const head = ['Engine', 'Nodes', 'Deltas per run', 'Events per run', 'Median ms', 'Deltas/s', 'Longest event wait ms', 'Peak heap growth MB', 'Peak heapUsed MB', 'Retained after GC MB'];
  const body = rows.map((s) => [
    s.engine,
    String(s.nodes),
    fmt.int(s.deltas),
    fmt.int(s.events),
    fmt.ms(s.medianMs),
    fmt.int(s.deltasPerSec),
    s.maxDelayMs === undefined ? '—' : fmt.ms(s.maxDelayMs),
    fmt.mb(s.peakHeapGrowthBytes),
    fmt.mb(s.peakHeapBytes),
    fmt.mb(s.retainedBytes),
  ]);
  return table(head, body);
}

/** docs/benchmarks.md: how to reproduce, the machine, a target summary, then each benchmark's table. */
export function renderReport(r: BenchResults, notes: Record<string, string>): string {
  const parts = [
    '# Benchmarks',
    '',
    notes.intro!,
    '',
    'Other benchmarks, each with its own command and results page:',
    '',
    '- [Chaos: failover, retries and budgets under 20% injected faults; routing cost by task](benchmarks-chaos.md) — `npx tsx bench/chaos.ts`',
    '- [Prompt caching: many questions over one long document](benchmarks-caching.md) — `npx tsx bench/caching.ts`',
    '- [Workers: nodes per second over BullMQ with 1, 2 and 4 workers](benchmarks-workers.md) — `npx tsx bench/workers.ts`',
    '',
    '## This run',
    '',
    machineSection(r),
    '',
    '## Targets',
    '',
    summarySection(r),
  ];
  if (r.makespan) parts.push('', '## 1. Makespan over critical path', '', notes.makespan!, '', makespanSection(r.makespan));
  if (r.overhead) parts.push('', '## 2. Engine overhead per node at zero model latency', '', notes.overhead!, '', overheadSection(r.overhead));
  if (r.stream) parts.push('', '## 3. Merged-stream throughput', '', notes.stream!, '', streamSection(r.stream));
  return `${parts.join('\n')}\n`;
}
