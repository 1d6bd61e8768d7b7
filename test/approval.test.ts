/**
 * `.approval` and pause/resume: a run that reaches an approval finishes what does not depend on it, then resolves
 * with status 'waiting' and what it waits for; `sy.resume(runId, wf, { answers })` validates the answer and
 * continues without requesting a finished node again — in this process without a store, or in a NEW process
 * with SQLite (counted at a loopback server through the real OpenAI SDK).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, openai, sqliteStore, SwitchyardError, workflow, type RunEvent } from '../src/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { nodeOf, replyTo } from './fixtures/durable-workflow.js';
import { refundWorkflow } from './fixtures/approval-workflow.js';
import { spawnTsx } from './fixtures/spawn-tsx.js';

const dir = mkdtempSync(join(tmpdir(), 'sy-approval-'));
const servers: MockServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function server() {
  const s = await startMockServer((info) => replyTo(info));
  servers.push(s);
  const asked = (node: string) => s.requests.filter((r) => nodeOf(JSON.stringify(r.body)) === node).length;
  return { server: s, asked, provider: openai({ name: 'hub', baseURL: s.openaiBaseURL, apiKey: 'k' }) };
}

describe('.approval in one process (no store: the instance keeps the paused run)', () => {
  test('the run pauses after the independent branch finished; resume with the answer requests only what is left', async () => {
    const { server: s, asked, provider } = await server();
    const sy = createSwitchyard({ providers: [provider] });
    const events: RunEvent[] = [];
    const run = sy.run(refundWorkflow(), { order: 'A-17' });
    run.on('*', (e) => events.push(e));
    const paused = await run.result;

    expect(paused.status).toBe('waiting');
    expect(paused.waiting).toEqual([
      {
        nodeId: 'approve',
        kind: 'approval',
        prompt: expect.stringMatching(/^Refund order\? Assessment: assess-/),
        answerSchema: expect.objectContaining({ type: 'object', required: ['ok', 'amount'] }),
        since: expect.any(Number),
      },
    ]);
    expect(paused.nodes.approve.status).toBe('waiting');
    expect(paused.nodes.notes.status).toBe('succeeded'); // the independent branch finished first
    expect(paused.nodes.email.status).toBe('pending');
    expect(s.requests.map((r) => nodeOf(JSON.stringify(r.body))).sort()).toEqual(['assess', 'notes']);
    expect(events.find((e) => e.type === 'node-wait')).toMatchObject({ nodeId: 'approve', waiting: [{ nodeId: 'approve' }] });
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'waiting' });

    const resumed = await sy.resume(paused.runId, refundWorkflow(), { answers: { approve: { ok: true, amount: 40 } } }).result;
    expect(resumed.status).toBe('succeeded');
    expect(resumed.waiting).toEqual([]);
    expect(resumed.outputs.approve).toEqual({ ok: true, amount: 40 });
    expect(JSON.stringify(s.requests.at(-1)!.body)).toContain('refund 40');
    for (const node of ['assess', 'notes', 'email']) expect(asked(node), node).toBe(1);
    expect(resumed.costUsd).toBeCloseTo(paused.costUsd + resumed.nodes.email.costUsd, 12);
  });

  test('answers are validated: a bad answer or an answer to a node that does not wait is refused, and the run stays paused', async () => {
    const { provider, server: s } = await server();
    const sy = createSwitchyard({ providers: [provider] });
    const paused = await sy.run(refundWorkflow(), { order: 'A-18' }).result;
    const requests = s.requests.length;

    const bad = await sy.resume(paused.runId, refundWorkflow(), { answers: { approve: { ok: 'yes', amount: -1 } as never } }).result.catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(bad) && bad.kind).toBe('invalid_input');
    expect((bad as Error).message).toBe("The answer for 'approve' does not match its schema: ok: Invalid input: expected boolean, received string; amount: Too small: expected number to be >0.");

    const stranger = await sy.resume(paused.runId, refundWorkflow(), { answers: { email: 'hi' } as never }).result.catch((e: unknown) => e);
    expect(stranger).toMatchObject({ kind: 'invalid_request', message: "Cannot answer 'email': the run does not wait for it. It waits for: 'approve'." });
    expect(s.requests.length).toBe(requests);

    // without an answer the node asks again; with one the run completes
    expect((await sy.resume(paused.runId, refundWorkflow()).result).status).toBe('waiting');
    const done = await sy.resume(paused.runId, refundWorkflow(), { answers: { approve: { ok: false, amount: 1 } } }).result;
    expect(done.outputs.email).toMatch(/^email-/);
    // a finished run is forgotten by the instance: resuming it again is refused
    const again = await sy.resume(paused.runId, refundWorkflow()).result.catch((e: unknown) => e);
    expect(again).toMatchObject({ kind: 'invalid_request' });
  });

  test('an approval in a loop body waits per iteration; in a nested workflow, at its path', async () => {
    const { provider } = await server();
    const sy = createSwitchyard({ providers: [provider] });
    const review = workflow({ name: 'review', input: z.object({ round: z.number() }) })
      .approval('ok', { prompt: ({ input }) => `Round ${input.round}: good enough?`, answer: z.boolean() });
    const wf = workflow({ name: 'rounds', input: z.object({}) })
      .loop('rounds', { body: review, maxIterations: 3, input: (_ctx, _last, { iteration }) => ({ round: iteration }), until: ({ output }) => output.ok })
      .workflow('final', { after: ['rounds'], workflow: review, input: () => ({ round: 99 }) });

    const first = await sy.run(wf, {}).result;
    expect(first.waiting).toMatchObject([{ nodeId: 'rounds/ok', iteration: 1, prompt: 'Round 1: good enough?' }]);
    const second = await sy.resume(first.runId, wf, { answers: { 'rounds/ok': false } }).result;
    expect(second.waiting).toMatchObject([{ nodeId: 'rounds/ok', iteration: 2, prompt: 'Round 2: good enough?' }]);
    const third = await sy.resume(first.runId, wf, { answers: { 'rounds/ok': true } }).result;
    expect(third.waiting).toMatchObject([{ nodeId: 'final/ok', prompt: 'Round 99: good enough?' }]);
    expect(third.nodes.rounds).toMatchObject({ status: 'succeeded', converged: true });
    const done = await sy.resume(first.runId, wf, { answers: { 'final/ok': true } }).result;
    expect(done.status).toBe('succeeded');
    expect(done.outputs).toEqual({ rounds: { ok: true }, final: { ok: true } });
  });
});

describe('.approval across processes (SQLite)', () => {
  test('a paused run is resumed in a new process with the answer; no finished node is requested again', async () => {
    const { server: s, asked } = await server();
    const path = join(dir, 'runs.db');
    const first = spawnTsx('approval-child.ts', ['run', s.openaiBaseURL, path, 'refund-1']);
    expect(await first.exit).toBe(0);
    const paused = JSON.parse((await first.line((l) => l.startsWith('result '))).slice(7));
    expect(paused).toMatchObject({ status: 'waiting', waiting: [{ nodeId: 'approve', kind: 'approval' }], nodes: { notes: { status: 'succeeded' }, email: { status: 'pending' } } });

    const store = sqliteStore({ path });
    const checkpoint = await store.loadRun('refund-1');
    await store.close?.();
    expect(checkpoint).toMatchObject({ status: 'waiting', waiting: [{ nodeId: 'approve', key: 'approve' }] });
    expect((await sqliteRuns(path)).map((r) => r.status)).toEqual(['waiting']);

    const second = spawnTsx('approval-child.ts', ['resume', s.openaiBaseURL, path, 'refund-1', JSON.stringify({ approve: { ok: true, amount: 12.5 } })]);
    expect(await second.exit).toBe(0);
    const resumed = JSON.parse((await second.line((l) => l.startsWith('result '))).slice(7));
    expect(resumed.status).toBe('succeeded');
    expect(resumed.outputs.approve).toEqual({ ok: true, amount: 12.5 });
    expect(resumed.ended).toEqual(expect.arrayContaining(['assess cached', 'notes cached', 'approve', 'email']));
    for (const node of ['assess', 'notes', 'email']) expect(asked(node), node).toBe(1);
    expect(JSON.stringify(s.requests.at(-1)!.body)).toContain('refund 12.5');
    // the restored nodes' spend is counted once, and only the email was paid for after the resume
    expect(resumed.nodes.assess.costUsd).toBe(paused.nodes.assess.costUsd);
    expect(resumed.costUsd).toBeCloseTo(paused.costUsd + resumed.nodes.email.costUsd, 12);
  }, 60_000);
});

async function sqliteRuns(path: string) {
  const store = sqliteStore({ path });
  try {
    return await store.listRuns();
  } finally {
    await store.close?.();
  }
}
