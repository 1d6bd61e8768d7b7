/**
 * Agents checkpoint every step: with a store, each completed model call and tool result of an `.agent` node is
 * committed, and a resumed run continues from the last committed step. A real child process is SIGKILLed while
 * the tool of step 5 (of 8) runs; a new process resumes and requests steps 6–8 only (counted at the mock server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, memoryStore, openai, sqliteStore, tool } from '../src/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { agentScript, agentWorkflow, stepOf } from './fixtures/agent-steps.js';
import { spawnTsx } from './fixtures/spawn-tsx.js';

const dir = mkdtempSync(join(tmpdir(), 'sy-steps-'));
const servers: MockServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function agentServer() {
  const server = await startMockServer(agentScript);
  servers.push(server);
  return server;
}

const steps = (server: MockServer, from = 0) => server.requests.slice(from).map((r) => stepOf(r.body));

test('an agent SIGKILLed at step 5 of 8 resumes in a new process and requests steps 6–8 only', async () => {
  const reference = await agentServer();
  const work = tool({ parameters: z.object({ n: z.number() }), execute: ({ n }) => n * 10 });
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: reference.openaiBaseURL, apiKey: 'k' })] });
  const expected = await sy.run(agentWorkflow(work), { task: 'count' }).result;
  expect(expected.outputs.worker).toBe('done: 10,20,30,40,50,60,70');

  const server = await agentServer();
  const path = join(dir, 'agent.db');
  const first = spawnTsx('agent-steps-child.ts', ['run', server.openaiBaseURL, path, 'agent-1', 5]);
  await first.line((l) => l === 'tool 5'); // step 5's model call has returned; its tool is running
  first.proc.kill('SIGKILL');
  expect(await first.exit).toBeNull();
  expect(steps(server)).toEqual([0, 1, 2, 3, 4, 5]);

  const store = sqliteStore({ path });
  const checkpoint = (await store.loadRun('agent-1'))!;
  await store.close?.();
  expect(Object.keys(checkpoint.nodes)).toEqual(['plan']);
  expect(Object.keys(checkpoint.steps.worker!).sort()).toEqual(
    ['call:1', 'call:2', 'call:3', 'call:4', 'call:5', 'tool:1:call_1', 'tool:2:call_2', 'tool:3:call_3', 'tool:4:call_4'].sort(),
  );

  const before = server.requests.length;
  const second = spawnTsx('agent-steps-child.ts', ['resume', server.openaiBaseURL, path, 'agent-1']);
  expect(await second.exit).toBe(0);
  const resumed = JSON.parse((await second.line((l) => l.startsWith('result '))).slice(7));
  expect(steps(server, before)).toEqual([6, 7, 8]); // steps 1–5 replayed from the checkpoint, not requested
  expect(second.lines.filter((l) => l.startsWith('tool '))).toEqual(['tool 5', 'tool 6', 'tool 7']); // step 5's tool had not committed
  expect(resumed.status).toBe('succeeded');
  expect(resumed.outputs).toEqual(expected.outputs);
  expect(resumed.steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  // every step's cost is on the node once: the replayed steps as they were paid, the new ones as they are
  expect(resumed.workerCost).toBeCloseTo(resumed.stepCosts, 12);
  expect(resumed.costUsd).toBeCloseTo(expected.costUsd, 12);
}, 60_000);

test('a failed agent resumes from its last committed step (the endpoint died at step 4)', async () => {
  let dead = false;
  const server = await startMockServer((info) => (dead && stepOf(info.body) === 4 ? { fault: { type: 'http', status: 503 } } : agentScript(info)));
  servers.push(server);
  const store = memoryStore();
  const work = tool({ parameters: z.object({ n: z.number() }), execute: ({ n }) => n * 10 });
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })], store, retry: { maxAttempts: 1 } });
  dead = true;
  const failed = await sy.run(agentWorkflow(work), { task: 'count' }, { runId: 'agent-2' }).result;
  expect(failed.status).toBe('failed');
  expect(steps(server)).toEqual([0, 1, 2, 3, 4]);

  dead = false;
  const before = server.requests.length;
  const resumed = await sy.resume('agent-2', agentWorkflow(work)).result;
  expect(resumed.status).toBe('succeeded');
  expect(steps(server, before)).toEqual([4, 5, 6, 7, 8]);
  expect(resumed.outputs.worker).toBe('done: 10,20,30,40,50,60,70');
  expect(resumed.nodes.worker.steps!.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
});

test('a changed agent starts over: its committed steps no longer match it', async () => {
  const server = await agentServer();
  const store = memoryStore();
  const work = tool({ parameters: z.object({ n: z.number() }), execute: ({ n }) => n * 10 });
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })], store });
  const run = sy.run(agentWorkflow(work), { task: 'count' }, { runId: 'agent-3' });
  run.on('agent-step', (e) => e.step === 3 && run.cancel('stop'));
  expect((await run.result).status).toBe('cancelled');
  const before = server.requests.length;
  const changed = agentWorkflow(tool({ parameters: z.object({ n: z.number() }), execute: ({ n }) => n * 100 }));
  const resumed = await sy.resume('agent-3', changed).result;
  expect(resumed.status).toBe('succeeded');
  expect(steps(server, before)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(resumed.outputs.worker).toBe('done: 100,200,300,400,500,600,700');
});
