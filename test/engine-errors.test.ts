import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, openai, SwitchyardError, workflow, type RunEvent } from '../src/index.js';
import { simulated, startMockServer, type MockServer, type ScriptedReply } from '../src/testing/index.js';

const input = z.object({ ticket: z.string() });
const never = () => new Promise<never>(() => {});

async function collect(run: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

/** Replies by prompt: 'fail …' → HTTP 400, 'hang …' → never finishes, anything else → text. */
function scripted() {
  return simulated({
    reply: (info): ScriptedReply => {
      if (info.text.startsWith('fail')) return { fault: { type: 'http', status: 400, message: 'bad prompt' } };
      if (info.text.startsWith('hang')) return { fault: { type: 'hang', afterTokens: 1 }, text: 'partial output here' };
      return { text: `ok ${info.text}` };
    },
  });
}

function graph() {
  return workflow({ name: 'policies', input })
    .llm('good', { model: 'gpt-5.4', prompt: 'good' })
    .llm('bad', { model: 'gpt-5.4', prompt: 'fail now' })
    .llm('slow', { model: 'gpt-5.4', prompt: 'hang forever' })
    .step('afterBad', { after: ['bad'], run: ({ bad }) => bad.length })
    .step('afterAfterBad', { after: ['afterBad'], run: () => 1 })
    .step('afterGood', { after: ['good'], run: async ({ good }) => good.toUpperCase() });
}

describe('fail-fast (the default)', () => {
  test('a failure cancels in-flight and pending nodes; completed outputs are kept', async () => {
    const sim = scripted();
    const sy = createSwitchyard({ providers: [sim] });
    const run = sy.run(graph(), { ticket: 't' });
    const events = await collect(run);
    const result = await run.result;
    expect(result.status).toBe('failed');
    expect(result.nodes.bad.status).toBe('failed');
    expect(result.nodes.bad.error?.kind).toBe('bad_request');
    expect(result.nodes.slow.status).toBe('cancelled');
    expect(result.nodes.afterBad.status).toBe('cancelled');
    expect(result.errors.map((e) => [e.nodeId, e.error.kind])).toEqual([['bad', 'bad_request']]);
    // The hanging request was aborted, not left running.
    expect(sim.requests.find((r) => r.request.messages[0]?.content === 'hang forever')?.outcome).not.toBe('streaming');
    const failed = events.find((e) => e.type === 'node-error' && e.nodeId === 'bad');
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'bad_request' } });
    const cancelled = events.filter((e) => e.type === 'node-error' && e.status === 'cancelled').map((e) => e.nodeId);
    expect(cancelled).toContain('slow');
    expect(cancelled).toContain('afterBad');
    // Whatever completed before the failure is still in the result.
    for (const [id, node] of Object.entries(result.nodes)) {
      if (node.status === 'succeeded') expect(result.outputs).toHaveProperty(id);
      else expect(result.outputs).not.toHaveProperty(id);
    }
  });
});

describe('continue', () => {
  test('dependents of the failed node are skipped, independent branches finish, the result says why', async () => {
    const sy = createSwitchyard({ providers: [scripted()] });
    const wf = graph().llm('slow2', { model: 'gpt-5.4', prompt: 'also fine' });
    const run = sy.run(
      workflow({ name: 'continue', input, nodes: wf.nodes.filter((n) => n.id !== 'slow') }),
      { ticket: 't' },
      { onError: 'continue' },
    );
    const events = await collect(run);
    const result = await run.result;
    expect(result.status).toBe('failed');
    expect(result.nodes['bad']!.status).toBe('failed');
    expect(result.nodes['afterBad']!).toMatchObject({ status: 'skipped', skipReason: "dependency 'bad' failed" });
    expect(result.nodes['afterAfterBad']!.skipReason).toBe("dependency 'afterBad' was skipped after a failure upstream");
    expect(result.outputs).toMatchObject({ good: 'ok good', afterGood: 'OK GOOD', slow2: 'ok also fine' });
    expect(events.filter((e) => e.type === 'node-skip').map((e) => e.nodeId)).toEqual(['afterBad', 'afterAfterBad']);
  });

  test('a node-level onError overrides the run policy', async () => {
    const sy = createSwitchyard({ providers: [scripted()] });
    const wf = workflow({ name: 'mixed', input })
      .llm('bad', { model: 'gpt-5.4', prompt: 'fail', onError: 'continue' })
      .step('other', { run: async () => 'done' });
    const result = await sy.run(wf, { ticket: 't' }).result;
    expect(result.status).toBe('failed');
    expect(result.nodes.other.status).toBe('succeeded');
  });
});

describe('timeouts', () => {
  test('a node past its timeoutMs fails with kind timeout, its model request aborted', async () => {
    const sim = scripted();
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'timeouts', input })
      .llm('slow', { model: 'gpt-5.4', prompt: 'hang', timeoutMs: 50, onError: 'continue' })
      .step('stuck', { run: never, timeoutMs: 50, onError: 'continue' })
      .step('fine', { run: () => 1 });
    const result = await sy.run(wf, { ticket: 't' }).result;
    expect(result.nodes.slow.error?.kind).toBe('timeout');
    expect(result.nodes.slow.error?.message).toContain("Node 'slow' timed out after 50 ms");
    expect(result.nodes.stuck).toMatchObject({ status: 'failed', error: { kind: 'timeout' } });
    expect(result.nodes.fine.status).toBe('succeeded');
    expect(sim.requests[0]?.outcome).not.toBe('streaming');
  });
});

describe('cancellation', () => {
  test('run.cancel() aborts in-flight calls and pending nodes and reports what completed and was spent', async () => {
    const sim = scripted();
    const sy = createSwitchyard({ providers: [sim] });
    const stepSignals: AbortSignal[] = [];
    const wf = workflow({ name: 'cancel', input })
      .llm('quick', { model: 'gpt-5.4', prompt: 'quick answer' })
      .llm('slow', { model: 'gpt-5.4', prompt: 'hang please' })
      .step('waits', { run: (_ctx, { signal }) => (stepSignals.push(signal), never()) })
      .step('later', { after: ['slow'], run: () => 1 });
    const run = sy.run(wf, { ticket: 't' });
    run.on('node-end', (event) => {
      if (event.nodeId === 'quick') run.cancel('user pressed stop');
    });
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(result.outputs).toEqual({ quick: 'ok quick answer' });
    expect(result.nodes.quick.costUsd).toBeGreaterThan(0);
    // The aborted attempt is charged for what it streamed before the abort, and reported.
    expect(result.nodes.slow.usage.outputTokens).toBeGreaterThanOrEqual(1);
    expect(result.nodes.slow.costUsd).toBeGreaterThan(0);
    expect(result.costUsd).toBeCloseTo(result.nodes.quick.costUsd + result.nodes.slow.costUsd, 12);
    const runBudget = result.budget.find((level) => level.level === 'run');
    expect(runBudget?.spentUsd).toBeCloseTo(result.costUsd, 9);
    expect(runBudget?.reservedUsd).toBe(0);
    expect(result.nodes.slow.status).toBe('cancelled');
    expect(result.nodes.waits.status).toBe('cancelled');
    expect(result.nodes.later.status).toBe('cancelled');
    expect(result.nodes.later.startedAt).toBeUndefined();
    expect(result.nodes.slow.error?.message).toContain('user pressed stop');
    expect(stepSignals[0]?.aborted).toBe(true);
    expect(sim.requests.every((r) => r.outcome !== 'streaming')).toBe(true);
    expect(result.errors).toEqual([]);
  });

  test('options.signal cancels the run; an already-aborted signal starts no node', async () => {
    const sy = createSwitchyard({ providers: [scripted()] });
    let started = 0;
    const wf = workflow({ name: 'signal', input }).step('a', { run: () => (started++, never()) }).step('b', { after: ['a'], run: () => 1 });
    const controller = new AbortController();
    const run = sy.run(wf, { ticket: 't' }, { signal: controller.signal });
    run.on('node-start', () => controller.abort());
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect([result.nodes.a.status, result.nodes.b.status]).toEqual(['cancelled', 'cancelled']);

    const events = await collect(sy.run(wf, { ticket: 't' }, { signal: AbortSignal.abort() }));
    expect(started).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['run-start', 'node-error', 'node-error', 'run-end']);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'cancelled' });
  });

  test('cancel before the run starts, and after it ended, are safe', async () => {
    const sy = createSwitchyard({ providers: [scripted()] });
    const wf = workflow({ name: 'early', input }).step('a', { run: () => 1 });
    const run = sy.run(wf, { ticket: 't' });
    run.cancel();
    expect((await run.result).status).toBe('cancelled');
    const done = sy.run(wf, { ticket: 't' });
    expect((await done.result).status).toBe('succeeded');
    done.cancel();
    expect((await done.result).status).toBe('succeeded');
  });
});

describe('cancellation over HTTP', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  test('cancelling a run closes the in-flight HTTP request on the server', async () => {
    server = await startMockServer({ text: 'one two three four', fault: { type: 'hang', afterTokens: 2 } });
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const wf = workflow({ name: 'http', input }).llm('call', { model: 'gpt-5.4', prompt: ({ input: i }) => i.ticket });
    const run = sy.run(wf, { ticket: 'hello' });
    const texts: string[] = [];
    for await (const event of run) {
      if (event.type === 'text-delta') texts.push(event.text);
      if (texts.length === 2) run.cancel();
    }
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(result.nodes.call.error).toSatisfy(SwitchyardError.isInstance);
    await expect.poll(() => server!.requests[0]?.closedByClient, { timeout: 30_000 }).toBe(true);
    expect(server.requests[0]?.completed).toBe(false);
  });
});
