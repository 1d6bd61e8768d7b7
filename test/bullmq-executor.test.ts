/**
 * The BullMQ executor against a real redis-server: a run whose nodes execute on two worker processes, one of them
 * SIGKILLed while its node is on the wire. The job goes to the other worker (BullMQ stalled-job handling), the run
 * completes with the outputs of an in-process run, the merged stream carries the workers' events, and the mock
 * server's request log shows no completed node requested twice; the killed attempt is charged at its worst case in
 * the workers' shared ledger. Running the same run id again pays for nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { createSwitchyard, defaultCatalog, inputTokenBound, openai, worstCaseCostOf, type RunEvent } from '../src/index.js';
import { bullmq, RedisBudgetLedger } from '../src/redis/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { durableWorkflow, nodeOf, replyTo } from './fixtures/durable-workflow.js';
import { spawnTsx, type Child } from './fixtures/spawn-tsx.js';
import { redisUrl } from './setup/redis-url.js';

const servers: MockServer[] = [];
const children: Child[] = [];
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const child of children) if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exit));
  await Promise.all(closers.map((close) => close()));
  await Promise.all(servers.map((s) => s.close()));
});

test('a run across two workers, one SIGKILLed mid-node, completes with nothing paid twice', async () => {
  const reference = await startMockServer((info) => replyTo(info));
  servers.push(reference);
  const local = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: reference.openaiBaseURL, apiKey: 'k' })] });
  const expected = await local.run(durableWorkflow(), { topic: 'durable runs' }).result;

  const id = randomUUID().slice(0, 8);
  const [queue, prefix] = [`q-${id}`, `test:${id}:`];
  let killed: string | undefined;
  const server = await startMockServer(async (info) => {
    if (nodeOf(info.text) === 'd' && killed === undefined) {
      killed = 'pending';
      // Kill the worker that took node 'd', while its request is on the wire.
      const victim = await Promise.race(workers.map((w) => w.line((l) => l.endsWith(' d')).then(() => w)));
      victim.proc.kill('SIGKILL');
      killed = String(victim.proc.pid);
    }
    return replyTo(info, 20);
  });
  servers.push(server);
  const workers = [0, 1].map(() => spawnTsx('bullmq-worker.ts', [redisUrl(), queue, prefix, server.openaiBaseURL]));
  children.push(...workers);
  await Promise.all(workers.map((w) => w.line((l) => l === 'ready')));

  const executor = bullmq({ connection: redisUrl(), queue, prefix });
  closers.push(() => executor.close());
  const caller = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
  const runId = `run_${id}`;
  const run = caller.run(durableWorkflow(), { topic: 'durable runs' }, { executor, runId });
  const events: RunEvent[] = [];
  run.on('*', (event) => events.push(event));
  const result = await run.result;

  expect(result.status).toBe('succeeded');
  expect(result.outputs).toEqual(expected.outputs);
  expect(killed).toMatch(/^\d+$/);
  const asked = (node: string) => server.requests.filter((r) => nodeOf(JSON.stringify(r.body)) === node).length;
  for (const node of ['a', 'b', 'c', 'e']) expect(asked(node), `requests for node ${node}: ${JSON.stringify(workers.map((w) => w.lines))}`).toBe(1);
  expect(asked('d')).toBe(2); // the killed attempt, then the re-run on the other worker
  // Both workers ran nodes; the merged stream on the caller's side carries their events.
  expect(workers.every((w) => w.lines.some((l) => l.startsWith('start ')))).toBe(true);
  expect(events.filter((e) => e.type === 'text-delta' && e.nodeId === 'a').length).toBeGreaterThan(0);
  expect(events.filter((e) => e.type === 'node-end').map((e) => e.nodeId).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  expect(events.filter((e) => e.type === 'node-start' && e.nodeId === 'd')).toHaveLength(1);
  expect(events.at(-1)?.type).toBe('run-end');
  // Spend comes back: the run's cost is what the completed nodes cost, and the workers' shared ledger has it —
  // plus the killed attempt, charged at its worst case once its lease ended (its request was on the wire: billed).
  expect(result.costUsd).toBeCloseTo(expected.costUsd, 9);
  expect(result.nodes.b.attempts).toBe(1);
  const ledger = new RedisBudgetLedger({ connection: redisUrl(), prefix: `${prefix}budget:`, limits: { usd: 10 } });
  closers.push(() => ledger.close());
  let [instance] = await ledger.refresh();
  for (let i = 0; i < 200 && instance!.reservedUsd > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    [instance] = await ledger.refresh();
  }
  const model = defaultCatalog.get('gpt-5.4-mini');
  const prompt = `[node:d] merge ${String(expected.outputs.b)} ${String(expected.outputs.c)}`;
  const killedWorstCase = worstCaseCostOf(model, inputTokenBound({ messages: [{ role: 'user', content: prompt }] }), 200);
  expect(instance!.reservedUsd).toBe(0);
  expect(instance!.spentUsd).toBeCloseTo(expected.costUsd + killedWorstCase, 6);

  // The same run id again: every node result is committed, so nothing is requested or paid again.
  const before = server.requests.length;
  const again = await caller.run(durableWorkflow(), { topic: 'durable runs' }, { executor, runId }).result;
  expect(again.outputs).toEqual(expected.outputs);
  expect(server.requests.length).toBe(before);
}, 120_000);
