/**
 * The chaos benchmark: a workflow of 1,000 `.llm` nodes (100 chains of 10) on two simulated endpoints serving the
 * same models, with 20% of requests failing (429 with Retry-After, 500, 503, a stream cut part-way, a stream that
 * hangs, a stream that never ends, a garbage usage report), under a run and an instance budget. It measures the
 * share of nodes completed, overspend, requests per node and the latency the faults add; then the money run (the
 * same workflow and faults over real HTTP, under a Redis budget too small for it, shared with a process SIGKILLed
 * with calls on the wire: spend measured at the server against the cap; see chaos-money.ts); then the cost of a
 * workload mix routed by task versus everything on gpt-5.5.
 *
 *   npx tsx bench/chaos.ts            # runs it, prints the section and writes docs/benchmarks-chaos.md
 *   npx tsx bench/chaos.ts --no-write
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSwitchyard, type Provider, type RunEvent, type RunResult, type Workflow } from '../src/index.js';
import type { Fault } from '../src/testing/index.js';
import { renderChaosSection } from './chaos-report.js';
import { runMoneyChaos, type MoneyOptions, type MoneyRun } from './chaos-money.js';
import {
  callsAt,
  CHAOS_FAULTS,
  chaosEndpoints,
  chaosWorkflow,
  mixEndpoint,
  mixWorkflow,
  taskOfMixNode,
  WORKLOAD_MIX,
  type ChaosShape,
} from './chaos-workload.js';

/** What the chaos run is set up with. */
export interface ChaosOptions {
  shape: ChaosShape;
  /** Share of requests that fail. */
  faultRate: number;
  seed: number;
  runBudgetUsd: number;
  instanceBudgetUsd: number;
}

export const DEFAULT_CHAOS: ChaosOptions = {
  shape: { chains: 100, stages: 10 },
  faultRate: 0.2,
  seed: 7,
  runBudgetUsd: 1,
  instanceBudgetUsd: 1.5,
};

/** The retry policy of the run: short delays and timeouts so hung streams are noticed in a benchmark's time. */
export const CHAOS_RETRY = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200, idleTimeoutMs: 250, attemptTimeoutMs: 3000 };

/** The money run: the same workflow and faults over HTTP, under a Redis cap of half its cost, with a victim. */
export const DEFAULT_MONEY: MoneyOptions = {
  shape: DEFAULT_CHAOS.shape,
  faultRate: DEFAULT_CHAOS.faultRate,
  seed: DEFAULT_CHAOS.seed,
  capShare: 0.5,
  victimCalls: 10,
  leaseMs: 1000,
  retry: CHAOS_RETRY,
};

/** One run of the chaos workflow. */
export interface ChaosRun {
  makespanMs: number;
  nodes: number;
  completed: number;
  requests: number;
  attempts: number;
  /** Requests that carried an injected fault, by fault type. */
  faults: Record<string, number>;
  retries: number;
  fallbacks: number;
  circuitChanges: number;
  costUsd: number;
  /** Per budget level: limit, final spend, and the highest (spent + reserved) seen in any budget event. */
  budgets: Array<{ level: string; limitUsd: number; spentUsd: number; peakCommittedUsd: number; overspendUsd: number }>;
  /** Node durations (ms) at the 50th and 95th percentile. */
  nodeP50Ms: number;
  nodeP95Ms: number;
}

/** One row of the cost comparison. */
export interface MixCostRow {
  task: string;
  calls: number;
  routedModels: string;
  routedUsd: number;
  allGpt55Usd: number;
}

/** Everything the benchmark measured. */
export interface ChaosFigures {
  options: ChaosOptions;
  clean: ChaosRun;
  chaos: ChaosRun;
  /** The same fault rate without 429s: how much of the added latency the endpoint-wide Retry-After pause causes. */
  no429: ChaosRun;
  completedShare: number;
  overspendUsd: number;
  requestsPerNode: number;
  addedLatencyMs: number;
  mix: { rows: MixCostRow[]; routedUsd: number; allGpt55Usd: number; ratio: number };
  money: MoneyRun;
  moneyOptions: MoneyOptions;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

function faultKey(fault: { type: string; status?: number }): string {
  if (fault.type === 'http') return `HTTP ${fault.status}`;
  return fault.type === 'bad-usage' ? 'garbage usage' : `${fault.type} stream`;
}

async function measure(workflow: Workflow<undefined>, endpoints: readonly Provider[], options: ChaosOptions) {
  const sy = createSwitchyard({ providers: endpoints, budget: { usd: options.instanceBudgetUsd }, retry: CHAOS_RETRY });
  const started = performance.now();
  const run = sy.run(workflow, undefined, { budget: { usd: options.runBudgetUsd }, onError: 'continue' });
  const peak = new Map<string, number>();
  const counts = { retries: 0, fallbacks: 0, circuit: 0 };
  for await (const event of run) tally(event, peak, counts);
  const result = await run.result;
  return { result, makespanMs: performance.now() - started, peak, counts };
}

function tally(event: RunEvent, peak: Map<string, number>, counts: { retries: number; fallbacks: number; circuit: number }) {
  if (event.type === 'node-retry') counts.retries++;
  else if (event.type === 'node-fallback') counts.fallbacks++;
  else if (event.type === 'circuit') counts.circuit++;
  else if (event.type === 'budget') {
    for (const l of event.levels) peak.set(l.level, Math.max(peak.get(l.level) ?? 0, l.spentUsd + l.reservedUsd));
  }
}

/** Runs the chaos workflow once with `faultRate` of requests failing, drawn from `kinds`. */
export async function runChaosOnce(options: ChaosOptions, faultRate: number, kinds: readonly Fault[] = CHAOS_FAULTS): Promise<ChaosRun> {
  const endpoints = chaosEndpoints(faultRate, options.seed, kinds);
  const { result, makespanMs, peak, counts } = await measure(chaosWorkflow(options.shape), endpoints, options);
  const nodes = Object.values(result.nodes);
  const faults: Record<string, number> = {};
  for (const request of endpoints.flatMap((e) => e.requests)) {
    if (request.fault) faults[faultKey(request.fault)] = (faults[faultKey(request.fault)] ?? 0) + 1;
  }
  const durations = nodes.map((n) => n.durationMs ?? 0);
  return {
    makespanMs,
    nodes: nodes.length,
    completed: nodes.filter((n) => n.status === 'succeeded').length,
    requests: endpoints.reduce((sum, e) => sum + e.requests.length, 0),
    attempts: nodes.reduce((sum, n) => sum + n.attempts, 0),
    faults,
    retries: counts.retries,
    fallbacks: counts.fallbacks,
    circuitChanges: counts.circuit,
    costUsd: result.costUsd,
    budgets: result.budget.map((b) => ({
      level: b.level,
      limitUsd: b.limitUsd ?? Infinity,
      spentUsd: b.spentUsd,
      peakCommittedUsd: peak.get(b.level) ?? 0,
      overspendUsd: Math.max(0, b.spentUsd - (b.limitUsd ?? Infinity)),
    })),
    nodeP50Ms: percentile(durations, 50),
    nodeP95Ms: percentile(durations, 95),
  };
}

/** The workload mix routed by task, and the same mix with every call on gpt-5.5 (`scale` scales the calls). */
export async function runMixCost(scale = 1): Promise<ChaosFigures['mix']> {
  const costs = async (pinned?: string) => {
    const sy = createSwitchyard({ providers: [mixEndpoint()] });
    const result: RunResult = await sy.run(mixWorkflow(pinned, scale), undefined).result;
    if (result.status !== 'succeeded') throw new Error(`The mix run failed: ${result.errors[0]?.error.message}`);
    const byTask = new Map<string, { usd: number; models: Set<string> }>();
    for (const [id, node] of Object.entries(result.nodes)) {
      const entry = byTask.get(taskOfMixNode(id)) ?? { usd: 0, models: new Set<string>() };
      entry.usd += node.costUsd;
      if (node.model) entry.models.add(node.model);
      byTask.set(taskOfMixNode(id), entry);
    }
    return { total: result.costUsd, byTask };
  };
  const routed = await costs();
  const all = await costs('gpt-5.5');
  const rows = WORKLOAD_MIX.map((row) => ({
    task: row.task,
    calls: callsAt(row, scale),
    routedModels: [...(routed.byTask.get(row.task)?.models ?? [])].join(', '),
    routedUsd: routed.byTask.get(row.task)?.usd ?? 0,
    allGpt55Usd: all.byTask.get(row.task)?.usd ?? 0,
  }));
  return { rows, routedUsd: routed.total, allGpt55Usd: all.total, ratio: routed.total / all.total };
}

/** Loads the token encoder and warms the engine, so the first measured run does not pay for it. */
async function warmUp(options: ChaosOptions): Promise<void> {
  const small = { ...options, shape: { chains: 20, stages: 3 } };
  await runChaosOnce(small, 0);
  await runChaosOnce(small, options.faultRate);
}

/** Runs the whole benchmark and returns its figures and a markdown section for docs/benchmarks.md. */
export async function runChaosBench(options: ChaosOptions = DEFAULT_CHAOS): Promise<{ figures: ChaosFigures; markdown: string }> {
  await warmUp(options);
  const clean = await runChaosOnce(options, 0);
  const chaos = await runChaosOnce(options, options.faultRate);
  const no429 = await runChaosOnce(options, options.faultRate, CHAOS_FAULTS.filter((f) => !(f.type === 'http' && f.status === 429)));
  const money = await runMoneyChaos(DEFAULT_MONEY);
  const mix = await runMixCost();
  const figures: ChaosFigures = {
    options,
    clean,
    chaos,
    no429,
    completedShare: chaos.completed / chaos.nodes,
    overspendUsd: Math.max(0, ...chaos.budgets.map((b) => b.overspendUsd)),
    requestsPerNode: chaos.requests / chaos.nodes,
    addedLatencyMs: chaos.makespanMs - clean.makespanMs,
    mix,
    money,
    moneyOptions: DEFAULT_MONEY,
  };
  return { figures, markdown: renderChaosSection(figures, CHAOS_FAULTS, CHAOS_RETRY) };
}

async function main(): Promise<void> {
  const started = performance.now();
  const { figures, markdown } = await runChaosBench();
  process.stdout.write(`${markdown}\n`);
  if (figures.chaos.attempts !== figures.chaos.requests) {
    throw new Error(`requests (${figures.chaos.requests}) != attempts reported (${figures.chaos.attempts})`);
  }
  const { money } = figures;
  if (money.serverBilledUsd > money.capUsd || money.ledgerSpentUsd > money.capUsd) {
    throw new Error(`spend passed the cap: billed ${money.serverBilledUsd}, ledger ${money.ledgerSpentUsd}, cap ${money.capUsd}`);
  }
  if (!process.argv.includes('--no-write')) {
    writeFileSync(new URL('../docs/benchmarks-chaos.md', import.meta.url), markdown);
    process.stdout.write('\nWrote docs/benchmarks-chaos.md\n');
  }
  process.stdout.write(`(${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
