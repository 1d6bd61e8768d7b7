/**
 * Durable runs: a run with a SQLite checkpoint store is interrupted halfway (here: cancelled after two nodes, as
 * a crash or a deploy would stop it), then a new switchyard instance — as a new process would — resumes it with
 * `sy.resume(runId, workflow)`. Completed nodes are restored (not requested, not paid for again); only the rest run.
 *
 * Run it: `node --import tsx examples/durable-resume.ts` (offline: the simulated provider answers).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createSwitchyard, sqliteStore, workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

export const research = workflow({ name: 'research', input: z.object({ topic: z.string() }) })
  .llm('outline', { task: 'research', maxOutputTokens: 300, prompt: ({ input }) => `Outline a report on ${input.topic}` })
  .llm('draft', { task: 'summarization', maxOutputTokens: 600, after: ['outline'], prompt: ({ outline }) => `Draft: ${outline}` })
  .llm('review', { task: 'critical', maxOutputTokens: 300, after: ['draft'], prompt: ({ draft }) => `Review: ${draft}` });

export async function main(path = join(mkdtempSync(join(tmpdir(), 'switchyard-')), 'runs.db')) {
  const provider = simulated({ firstTokenMs: 20 });

  // 1. The first process: runs until something stops it after two nodes.
  const store = sqliteStore({ path });
  const first = createSwitchyard({ providers: [provider], store });
  const run = first.run(research, { topic: 'durable workflows' }, { runId: 'report-42', budget: { usd: 1 } });
  run.on('node-end', (event) => {
    console.log(`first process: ${event.nodeId} done ($${event.costUsd.toFixed(6)})`);
    if (event.nodeId === 'draft') run.cancel('simulated crash');
  });
  const stopped = await run.result;
  console.log(`first process: run ${stopped.status}; checkpointed nodes:`, Object.keys((await store.loadRun('report-42'))!.nodes));
  await store.close?.();

  // 2. A new process: same file, same workflow, same run id.
  const reopened = sqliteStore({ path });
  const second = createSwitchyard({ providers: [provider], store: reopened });
  const resumed = second.resume('report-42', research, { budget: { usd: 1 } });
  resumed.on('node-end', (event) => console.log(`resumed: ${event.nodeId} ${event.cached ? 'restored from the checkpoint' : 'ran'}`));
  const result = await resumed.result;
  console.log(`resumed: ${result.status}, total $${result.costUsd.toFixed(6)}; the run budget counts it all:`, result.budget.find((b) => b.level === 'run'));
  console.log('runs in the store:', await reopened.listRuns());
  await reopened.close?.();
  return { result, requests: provider.requests.length };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
