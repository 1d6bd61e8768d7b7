/** Renders the chaos benchmark's figures as a markdown section (for docs/benchmarks.md). */
import { availableParallelism, cpus, loadavg } from 'node:os';
import type { Fault } from '../src/testing/index.js';
import type { ChaosFigures, ChaosRun } from './chaos.js';
import { PACING } from './chaos-workload.js';

const usd = (n: number) => (n === Infinity ? '—' : `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`);
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;

export function describeFault(fault: Fault): string {
  if (fault.type === 'http') return `HTTP ${fault.status}${fault.retryAfterMs ? ` (Retry-After ${fault.retryAfterMs} ms)` : ''}`;
  if (fault.type === 'cut') return `stream cut after ${fault.afterTokens} tokens`;
  if (fault.type === 'hang') return `stream hangs after ${fault.afterTokens ?? 0} tokens`;
  if (fault.type === 'endless') return `stream never ends (a token every ${fault.chunkDelayMs ?? 20} ms)`;
  if (fault.type === 'bad-usage') return `garbage usage (${Object.entries(fault.usage).map(([k, v]) => `${k} ${v}`).join(', ')})`;
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

function moneySection(f: ChaosFigures): string[] {
  const m = f.money;
  const o = f.moneyOptions;
  const faults = Object.entries(m.faults).map(([k, v]) => `${k}: ${v}`).join(', ');
  const within = (x: number) => (x <= m.capUsd ? 'yes' : '**no**');
  return [
    '### Money under chaos: spend measured at the server',
    '',
    `The same ${m.nodes.toLocaleString('en-US')}-node workflow with the same faults at ${pct(o.faultRate)}, over real HTTP: the OpenAI SDK against the`,
    'loopback mock server, which bills every request it serves as a provider would (the true usage of a reply it',
    'finished, whatever usage it reported; the input and the tokens it sent for a stream that stopped early). One',
    `instance budget in Redis, set to ${pct(o.capShare)} of what the workflow costs without a cap (${usd(m.uncappedUsd)}, from a`,
    `fault-free run of a tenth of it), so it binds; shared with a second process that holds ${o.victimCalls} calls on the wire and`,
    `is SIGKILLed once the run is under way (leases of ${o.leaseMs.toLocaleString('en-US')} ms).`,
    '',
    '| measure | result | target |',
    '|---|---|---|',
    `| billed by the server, both processes | **${usd(m.serverBilledUsd)}** | ≤ cap ${usd(m.capUsd)}: ${within(m.serverBilledUsd)} |`,
    `| spent in the ledger (Redis) | ${usd(m.ledgerSpentUsd)} | ≤ cap: ${within(m.ledgerSpentUsd)}; ≥ billed: ${m.ledgerSpentUsd >= m.serverBilledUsd ? 'yes' : '**no**'} |`,
    `| still reserved after the run | ${usd(m.ledgerReservedUsd)} | $0 |`,
    `| the killed process: billed / charged at its worst cases | ${usd(m.victimBilledUsd)} / ${usd(m.victimHeldUsd)} | billed ≤ charged |`,
    `| nodes completed / refused by the budget | ${m.completed} / ${m.refusedByBudget} of ${m.nodes} | |`,
    `| requests (the run's) / with an injected fault | ${m.requests} / ${Object.values(m.faults).reduce((a, b) => a + b, 0)} (${faults}) | |`,
    `| garbage usage reports replaced | ${m.usageReplaced} | |`,
    `| makespan | ${ms(m.makespanMs)} | |`,
    '',
    m.ledgerSpentUsd >= m.serverBilledUsd
      ? `The ledger reports ${usd(m.ledgerSpentUsd - m.serverBilledUsd)} more than the server billed: the killed process's holds are charged at their worst case`
      : `**The ledger reports less than the server billed** (${usd(m.serverBilledUsd - m.ledgerSpentUsd)}).`,
    m.ledgerSpentUsd >= m.serverBilledUsd ? '(its requests had streamed a few tokens each), and counted input and estimates err on the safe side.' : '',
    '',
  ];
}

/** Why the faulty run costs what it does, compared with the clean one. */
function costNote(f: ChaosFigures): string {
  if (f.chaos.costUsd <= f.clean.costUsd) return 'That is also why the faulty run costs less: several next choices are cheaper models.';
  return (
    `The faulty run costs more (${usd(f.chaos.costUsd)} against ${usd(f.clean.costUsd)}): every attempt that failed part-way is charged what it ` +
    'streamed, streams that never end are charged what they read until they were cut past their cap, and garbage usage ' +
    'reports are replaced by estimates that err on the safe side.'
  );
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
    `endpoint until it passes, and with random 429s on ${pct(f.options.faultRate / faults.length)} of requests one arrives in almost every burst. Without`,
    `429s the same fault rate adds ${ms(f.no429.makespanMs - f.clean.makespanMs)}. Circuit breakers open on bursts of fast failures`,
    `(5 in a row), which sends later calls to the other endpoint or the next model of the task's list.`,
    costNote(f),
    '',
    'Budget levels in the faulty run (the highest spent + reserved is read from every `budget` event):',
    '',
    ...budgetTable(f.chaos),
    '',
    ...moneySection(f),
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
