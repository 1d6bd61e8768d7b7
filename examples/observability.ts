/**
 * Where the money and the time went: a live progress line, a trace file, the run's metrics, the instance's
 * metrics, the report page — and the response cache making a second identical run free.
 *
 *   node --import tsx examples/observability.ts [out-dir]       (writes out-dir/triage.jsonl and triage.html)
 *
 * Runs offline on the simulated provider. For OpenTelemetry spans add `telemetry: { tracer }` to
 * createSwitchyard (see docs/observability.md).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSwitchyard, liveProgress, writeReport, type InstanceMetrics, type RunResult } from '../src/index.js';
import { simulated } from '../src/testing/index.js';
import { demoReply } from './demo-providers.js';
import { buildTriageWorkflow } from './triage-workflow.js';

const ticket = { ticket: "Login fails with HTTP 500 when the user name contains an apostrophe (O'Brien)." };

/** One line per model: cost, tokens with the cached share, time to first token. */
export function modelLines(result: RunResult): string[] {
  return Object.entries(result.metrics.byModel).map(([model, m]) => {
    const cached = m.tokens.input > 0 ? Math.round(m.cacheHitRate * 100) : 0;
    return `${model.padEnd(18)} $${m.costUsd.toFixed(6)}  ${m.tokens.input} in (${cached}% cached) · ${m.tokens.output} out  TTFT p50 ${m.ttftMs.median.toFixed(0)} ms`;
  });
}

export async function main(outDir: string, log: (line: string) => void = console.log): Promise<{ first: RunResult; second: RunResult; metrics: InstanceMetrics; report: string }> {
  const sy = createSwitchyard({ providers: [simulated({ reply: demoReply, tokensPerSecond: 400 })] });
  const wf = buildTriageWorkflow();
  const trace = join(outDir, 'triage.jsonl');

  // 1. A traced run with a live progress line (redrawn in place on a terminal, a line per node elsewhere).
  const run = sy.run(wf, ticket, { trace, budget: { usd: 0.5 }, cache: { response: true } });
  liveProgress(run, { write: (text) => log(text.trimEnd()) });
  const first = await run.result;
  log(`run ${first.status}: $${first.costUsd.toFixed(6)}, ${first.metrics.total.attempts} attempts, ${first.metrics.total.retries} retries`);
  for (const line of modelLines(first)) log(`  ${line}`);

  // 2. The same run again: every model call is served by the response cache, at $0.
  const second = await sy.run(wf, ticket, { cache: { response: true } }).result;
  log(`again: $${second.costUsd.toFixed(6)}, ${second.metrics.total.responseCache.hits} of ${second.metrics.total.responseCache.lookups} calls from the response cache`);

  // 3. Everything this instance ran, and the report page of the traced run.
  const metrics = sy.metrics();
  log(`instance: ${metrics.runs.ended} runs, $${metrics.total.costUsd.toFixed(6)}, response cache hit rate ${(metrics.total.responseCache.hitRate * 100).toFixed(0)}%`);
  const report = join(outDir, 'triage.html');
  const written = writeReport(trace, report);
  log(`report: ${written.path} (${Math.ceil(written.bytes / 1000)} KB) — or: npx switchyard report ${trace} -o ${report}`);
  return { first, second, metrics, report };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2] ?? mkdtempSync(join(tmpdir(), 'switchyard-observability-')));
}
