/**
 * A run's own budget (`sy.run(wf, input, { budget })`) holds when its nodes execute on BullMQ workers: the job
 * carries the run's limits, and every worker reserves in the run scope its Redis ledger addresses by the run id,
 * so the nodes of one run, spread over two workers, together never spend past the run budget.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { BudgetExceededError, createSwitchyard, openai } from '../src/index.js';
import { bullmq, createWorker, RedisBudgetLedger } from '../src/redis/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { benchWorkflow } from './fixtures/bench-workflow.js';
import { redisUrl } from './setup/redis-url.js';

const servers: MockServer[] = [];
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await Promise.all(servers.map((s) => s.close()));
});

const PER_CALL = 50; // tokens each request costs (10 in, 40 out)
const RUN_TOKENS = 170; // room for 3 calls of 6 (each holds its worst case, input + 50, while it runs)

test('a run budget smaller than the work, with its nodes on two workers, is never overspent', async () => {
  const id = randomUUID().slice(0, 8);
  const [queue, prefix, budgetPrefix] = [`q-${id}`, `test:${id}:`, `test:${id}:budget:`];
  const server = await startMockServer(() => ({ text: 'fine', chunkDelayMs: 10, usage: { inputTokens: 10, outputTokens: 40 } }));
  servers.push(server);
  const wf = benchWorkflow(6);
  for (let w = 0; w < 2; w++) {
    // Each worker as its own process would have it: its own switchyard and ledger object, one Redis.
    const ledger = new RedisBudgetLedger({ connection: redisUrl(), prefix: budgetPrefix, limits: { usd: 10 } });
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })], ledger });
    const worker = await createWorker({ connection: redisUrl(), switchyard: sy, workflows: [wf], queue, prefix, concurrency: 4 });
    closers.push(() => ledger.close(), () => worker.close());
  }
  const executor = bullmq({ connection: redisUrl(), queue, prefix });
  closers.push(() => executor.close());
  const caller = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
  const runId = `run_${id}`;

  const result = await caller.run(wf, { topic: 'budgets' }, { executor, runId, budget: { tokens: RUN_TOKENS }, onError: 'continue' }).result;

  const llm = Object.entries(result.nodes).filter(([node]) => node !== 'join');
  const succeeded = llm.filter(([, n]) => n.status === 'succeeded');
  const refused = llm.filter(([, n]) => n.status === 'failed');
  // Unlimited, all 6 would run (300 tokens); under the run budget at most 3 fit, and the rest are refused by it.
  expect(succeeded.length).toBeGreaterThanOrEqual(1);
  expect(succeeded.length * PER_CALL).toBeLessThanOrEqual(RUN_TOKENS);
  expect(refused.length).toBe(6 - succeeded.length);
  // (The refusal crossed Redis as JSON: a SwitchyardError whose message names the level.)
  for (const [, node] of refused) {
    expect(BudgetExceededError.isInstance(node.error)).toBe(true);
    expect(node.error).toMatchObject({ kind: 'budget_exceeded', level: 'run', unit: 'tokens', limit: 170, message: expect.stringMatching(/^The run budget/) });
  }
  expect(server.requests).toHaveLength(succeeded.length);
  // The run scope in Redis, addressed by the run id, has the run's spend: within the budget, nothing still held.
  const reader = new RedisBudgetLedger({ connection: redisUrl(), prefix: budgetPrefix });
  closers.push(() => reader.close());
  const [, run] = await reader.refresh(reader.scope(reader.root, 'run', {}, runId));
  expect(run).toMatchObject({ level: 'run', spentTokens: succeeded.length * PER_CALL, reservedTokens: 0 });
  expect(run!.spentTokens).toBeLessThanOrEqual(RUN_TOKENS);
}, 120_000);
