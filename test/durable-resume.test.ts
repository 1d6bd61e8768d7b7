/**
 * Durable runs in one process (memory and SQLite stores): a failed run resumes without re-requesting completed
 * nodes; restored nodes report `cached: true` and their spend; the run budget continues from what was spent;
 * a workflow whose completed nodes changed is refused with what changed; spend of an interrupted node stays
 * counted; runs are listed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, memoryStore, openai, sqliteStore, SwitchyardError, workflow, type CheckpointStore } from '../src/index.js';
import { startMockServer, type MockServer, type ScriptRequestInfo } from '../src/testing/index.js';
import { durableWorkflow, nodeOf, replyTo } from './fixtures/durable-workflow.js';

const dir = mkdtempSync(join(tmpdir(), 'sy-resume-'));
const servers: MockServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A server where node `failing` answers 400 until `heal()` is called. */
async function flakyServer(failing: string) {
  let healed = false;
  const server = await startMockServer((info: ScriptRequestInfo) =>
    !healed && nodeOf(info.text) === failing ? { fault: { type: 'http', status: 400, message: 'bad' } } : replyTo(info),
  );
  servers.push(server);
  const asked = (node: string) => server.requests.filter((r) => nodeOf(JSON.stringify(r.body)) === node).length;
  return { server, asked, heal: () => (healed = true) };
}

const stores: Array<[string, () => CheckpointStore]> = [
  ['memory', () => memoryStore()],
  ['sqlite', () => sqliteStore({ path: join(dir, `${Math.random().toString(36).slice(2)}.db`) })],
];

describe.each(stores)('%s store', (_name, makeStore) => {
  test('a failed run resumes: completed nodes restored (cached, with their cost), only the rest run', async () => {
    const { server, asked, heal } = await flakyServer('d');
    const store = makeStore();
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })], store });
    const failed = await sy.run(durableWorkflow(), { topic: 't' }, { runId: 'r1', budget: { usd: 1 } }).result;
    expect(failed.status).toBe('failed');
    expect(Object.keys((await store.loadRun('r1'))!.nodes).sort()).toEqual(['a', 'b', 'c']);

    heal();
    const run = sy.resume('r1', durableWorkflow(), { budget: { usd: 1 } });
    const ends: Array<{ nodeId?: string; cached?: boolean }> = [];
    run.on('node-end', (e) => ends.push({ nodeId: e.nodeId, cached: e.cached }));
    const result = await run.result;
    expect(result.status).toBe('succeeded');
    for (const node of ['a', 'b', 'c', 'e']) expect(asked(node)).toBe(1);
    expect(ends.filter((e) => e.cached).map((e) => e.nodeId).sort()).toEqual(['a', 'b', 'c']);
    expect(result.outputs.a).toBe(failed.outputs.a);
    expect(result.nodes.a).toMatchObject({ status: 'succeeded', costUsd: failed.nodes.a.costUsd, attempts: 1, model: 'gpt-5.4-mini' });
    const total = (['a', 'b', 'c', 'd', 'e'] as const).reduce((sum, id) => sum + result.nodes[id].costUsd, 0);
    expect(result.costUsd).toBeCloseTo(total, 12);
    const runLevel = result.budget.find((b) => b.level === 'run')!;
    expect(runLevel.spentUsd).toBeCloseTo(result.costUsd, 9); // the budget continued from what was spent
    const [summary] = await store.listRuns({ workflow: 'durable' });
    expect(summary).toMatchObject({ runId: 'r1', status: 'succeeded', completed: 6 });
    await store.close?.();
  });

  test('a completed node that changed refuses the resume, saying what changed; an unfinished one may change', async () => {
    const { server, heal } = await flakyServer('d');
    const store = makeStore();
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })], store });
    await sy.run(durableWorkflow(), { topic: 't' }, { runId: 'r2' }).result;

    const changed = workflow({ name: 'durable', input: z.object({ topic: z.string() }) })
      .llm('a', { model: 'gpt-5.4', maxOutputTokens: 200, prompt: ({ input }) => `[node:a] outline ${input.topic}` })
      .llm('b', { model: 'gpt-5.4-mini', maxOutputTokens: 200, prompt: () => '[node:b] different' });
    const refusal = await sy.resume('r2', changed).result.catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(refusal)).toBe(true);
    expect(refusal).toMatchObject({ kind: 'checkpoint_mismatch' });
    const message = (refusal as Error).message;
    expect(message).toContain("completed node 'a' `model` changed");
    expect(message).toContain("completed node 'b' its dependencies changed from [a] to []");
    expect(message).toContain("completed node 'c' was removed");

    heal();
    const fixed = durableWorkflow();
    const d = fixed.nodes.find((n) => n.id === 'd')! as { prompt: unknown };
    d.prompt = ({ b, c }: { b: string; c: string }) => `[node:d] merge, fixed: ${b} ${c}`;
    const result = await sy.resume('r2', fixed).result;
    expect(result.status).toBe('succeeded');
    await store.close?.();
  });
});

test('spend of a node interrupted mid-call stays counted on resume', async () => {
  // 'd' streams a few chunks then the connection drops, with retries off: its attempt is charged and recorded.
  let cut = true;
  const server = await startMockServer((info) =>
    cut && nodeOf(info.text) === 'd' ? { ...replyTo(info), fault: { type: 'cut', afterTokens: 3 } } : replyTo(info),
  );
  servers.push(server);
  const store = memoryStore();
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })], store, retry: { maxAttempts: 1 } });
  const failed = await sy.run(durableWorkflow(), { topic: 't' }, { runId: 'r3' }).result;
  expect(failed.status).toBe('failed');
  expect(failed.nodes.d.costUsd).toBeGreaterThan(0);
  const stored = (await store.loadRun('r3'))!;
  expect(stored.spentByNode.d!.usd).toBeCloseTo(failed.nodes.d.costUsd, 12);

  cut = false;
  const result = await sy.resume('r3', durableWorkflow()).result;
  expect(result.status).toBe('succeeded');
  expect(result.costUsd).toBeCloseTo(failed.costUsd + result.nodes.d.costUsd - failed.nodes.d.costUsd + result.nodes.e.costUsd, 9);
  expect(result.nodes.d.costUsd).toBeGreaterThan(failed.nodes.d.costUsd); // the interrupted attempt plus the new one
  expect(result.budget.find((b) => b.level === 'run')!.spentUsd).toBeCloseTo(result.costUsd, 9);
});

test('resume of an unknown run, or without a store, is refused with what to fix', async () => {
  const server = await startMockServer({ text: 'ok' });
  servers.push(server);
  const provider = openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' });
  const unknown = await createSwitchyard({ providers: [provider], store: memoryStore() }).resume('nope', durableWorkflow()).result.catch((e: unknown) => e);
  expect(unknown).toMatchObject({ kind: 'invalid_request', message: expect.stringContaining("No checkpoint of run 'nope'") });
  const noStore = await createSwitchyard({ providers: [provider] }).resume('nope', durableWorkflow()).result.catch((e: unknown) => e);
  expect(noStore).toMatchObject({ kind: 'invalid_request', message: expect.stringContaining('store') });
  expect(server.requests).toHaveLength(0);
});
