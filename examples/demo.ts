/**
 * The main job: a hybrid triage workflow — classify (GPT-5.4) → fix (GPT-5.5) ∥ summarize (Claude) → report —
 * streamed live, then a per-node table of model, tokens, cost and time.
 *
 *   npm run demo
 *
 * With OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY set it calls those providers; with none set it runs
 * offline on the simulated provider (and says so).
 */
import { pathToFileURL } from 'node:url';
import { createSwitchyard, liveProgress, writeReport, type Provider, type RunEvent, type RunResult } from '../src/index.js';
import { buildTriageWorkflow } from './triage-workflow.js';
import { demoProviders } from './demo-providers.js';

/**
 * Prints each node's streamed text line by line, tagged with node and model, as it arrives; its reasoning
 * (summaries or thinking) on lines of its own, tagged 'thinking'.
 */
export function createLivePrinter(write: (line: string) => void = (line) => console.log(line)) {
  const partial = new Map<string, string>();
  const keyOf = (event: RunEvent, thinking: boolean) => `${event.nodeId ?? ''}${thinking ? '#thinking' : ''}`;
  const tag = (event: RunEvent, thinking: boolean) => `[${event.nodeId}${event.model ? ` · ${event.model}` : ''}${thinking ? ' · thinking' : ''}]`;
  const flush = (event: RunEvent, final: boolean, thinking = false) => {
    const key = keyOf(event, thinking);
    const lines = (partial.get(key) ?? '').split('\n');
    const rest = final ? '' : (lines.pop() ?? '');
    for (const line of lines) if (line.trim()) write(`${tag(event, thinking)} ${line}`);
    partial.set(key, rest);
  };
  const append = (event: RunEvent & { text: string }, thinking: boolean) => {
    partial.set(keyOf(event, thinking), (partial.get(keyOf(event, thinking)) ?? '') + event.text);
    flush(event, false, thinking);
  };
  return (event: RunEvent) => {
    switch (event.type) {
      case 'node-route':
        write(`→ ${event.nodeId}: ${event.model} on ${event.provider} (${event.reason})`);
        break;
      case 'reasoning-delta':
        append(event, true);
        break;
      case 'text-delta':
        // The answer begins: what the model thought before it is complete.
        flush(event, true, true);
        append(event, false);
        break;
      case 'node-retry':
      case 'node-fallback':
        if (event.discard) {
          partial.set(keyOf(event, false), '');
          partial.set(keyOf(event, true), '');
        }
        write(`↻ ${event.nodeId}: ${event.type === 'node-retry' ? `retry (${event.error.kind})` : `fallback to ${event.to.model} (${event.reason})`}`);
        break;
      case 'node-end':
        flush(event, true, true);
        flush(event, true);
        write(`✓ ${event.nodeId} done, $${event.costUsd.toFixed(6)}`);
        break;
      case 'node-skip':
        write(`- ${event.nodeId} skipped: ${event.reason}`);
        break;
      case 'node-error':
        write(`✗ ${event.nodeId} ${event.status}: ${event.error.message}`);
        break;
    }
  };
}

/** The per-node table: model, tokens in/out (cached), cost and time. */
export function formatNodeTable(result: Pick<RunResult, 'nodes' | 'status' | 'usage' | 'costUsd' | 'durationMs'>): string {
  const rows = [['node', 'status', 'model', 'provider', 'in', 'cached', 'out', 'cost $', 'ms']];
  for (const [id, node] of Object.entries(result.nodes)) {
    rows.push([
      id,
      node.status,
      node.model ?? '-',
      node.provider ?? '-',
      String(node.usage.inputTokens),
      String(node.usage.cachedInputTokens),
      String(node.usage.outputTokens),
      node.costUsd.toFixed(6),
      node.durationMs === undefined ? '-' : String(Math.round(node.durationMs)),
    ]);
  }
  rows.push(['total', result.status, '', '', String(result.usage.inputTokens), String(result.usage.cachedInputTokens), String(result.usage.outputTokens), result.costUsd.toFixed(6), String(Math.round(result.durationMs))]);
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ')).join('\n');
}

/** Where the demo writes its trace and report (set DEMO_OUT_DIR to put them elsewhere). */
export interface DemoOptions {
  providers?: Provider[];
  /** @default 'switchyard-demo' in the current directory: writes <base>.jsonl and <base>.html */
  outBase?: string;
}

export async function main(options: DemoOptions = {}) {
  const providers = options.providers ?? demoProviders(process.env, console.log);
  const outBase = options.outBase ?? 'switchyard-demo';
  const sy = createSwitchyard({ providers, budget: { usd: 1 } });
  const ticket = 'After the last deploy, logging in with a valid password returns HTTP 500 for users with an apostrophe in their name.';
  const run = sy.run(buildTriageWorkflow(), { ticket }, { budget: { usd: 0.5 }, trace: `${outBase}.jsonl` });
  // On a terminal: one progress line (nodes done / total, spend / budget) redrawn under the streamed text.
  const progress = process.stdout.isTTY ? liveProgress(run, process.stdout) : undefined;
  const print = createLivePrinter((line) => {
    progress?.clear();
    console.log(line);
  });
  for await (const event of run) print(event);
  const result = await run.result;
  console.log('\n' + formatNodeTable(result));
  const report = writeReport(`${outBase}.jsonl`, `${outBase}.html`, { title: 'switchyard demo: triage' });
  console.log(`\nTrace: ${outBase}.jsonl · report: ${report.path} (open it in a browser; or run npx switchyard report ${outBase}.jsonl)`);
  if (result.status !== 'succeeded') {
    for (const failure of result.errors) console.error(`${failure.nodeId}: ${failure.error.message}`);
    process.exitCode = 1;
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
