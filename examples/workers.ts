/**
 * Running workers: a run whose nodes execute on BullMQ workers, under one budget shared by the fleet in Redis.
 * Here the caller and two workers live in one process for brevity; in production each worker is its own process
 * (`createWorker(...)` in code, or `npx switchyard worker`), and any number of app servers call `sy.run` with the
 * same executor. Needs a Redis server: `REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/workers.ts`
 * (offline otherwise: the simulated provider answers).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createSwitchyard, workflow } from '../src/index.js';
import { bullmq, createWorker, RedisBudgetLedger, redisShared } from '../src/redis/index.js';
import { simulated } from '../src/testing/index.js';

export const triage = workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
  .llm('classify', { task: 'classification', maxOutputTokens: 50, prompt: ({ input }) => `Classify: ${input.ticket}` })
  .llm('summary', { task: 'summarization', maxOutputTokens: 200, prompt: ({ input }) => `Summarize: ${input.ticket}` })
  .llm('reply', { task: 'chat', maxOutputTokens: 300, after: ['classify', 'summary'], prompt: ({ classify, summary }) => `Reply (${classify}): ${summary}` });

export async function main(url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', namespace = `example:${randomUUID().slice(0, 8)}:`) {
  const queue = namespace.replace(/:/g, '-');

  // A worker process: its switchyard books every call on the fleet's shared budget and endpoint state.
  const startWorker = async () => {
    const ledger = new RedisBudgetLedger({ connection: url, prefix: `${namespace}budget:`, limits: { usd: 5 } });
    const shared = redisShared({ connection: url, prefix: `${namespace}endpoints:` });
    const sy = createSwitchyard({ providers: [simulated({ firstTokenMs: 30 })], ledger, shared });
    const worker = await createWorker({ connection: url, switchyard: sy, workflows: [triage], queue, prefix: namespace });
    return { ledger, close: async () => (await worker.close(), await shared.close(), await ledger.close()) };
  };
  const workers = await Promise.all([startWorker(), startWorker()]);

  // The caller (an app server): the run's nodes go to the queue; events, outputs and spend come back.
  const executor = bullmq({ connection: url, queue, prefix: namespace });
  const sy = createSwitchyard({ providers: [simulated()] });
  const run = sy.run(triage, { ticket: 'The export button does nothing on Safari.' }, { executor });
  for await (const event of run) {
    if (event.type === 'node-end') console.log(`${event.nodeId}: done on a worker ($${event.costUsd.toFixed(6)})`);
  }
  const result = await run.result;
  const [fleet] = await workers[0]!.ledger.refresh();
  console.log(`run ${result.status}, $${result.costUsd.toFixed(6)}; the fleet has spent $${fleet!.spentUsd.toFixed(6)} of $${fleet!.limitUsd}`);

  await executor.close();
  await Promise.all(workers.map((w) => w.close()));
  return { result, fleetSpentUsd: fleet!.spentUsd };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
