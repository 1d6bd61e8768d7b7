/**
 * Tools that need approval: the agent pauses before running such a tool (the run ends 'waiting' with the calls),
 * and resumes with the decision — approved, the tool runs; rejected, the model receives the rejection and its
 * message as the tool's result (checked in the next request at the loopback server). Steps before the pause are
 * not requested again.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, openai, tool, workflow } from '../src/index.js';
import { startMockServer, type MockServer, type ScriptRequestInfo, type ScriptedReply } from '../src/testing/index.js';

const servers: MockServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

type Message = { role: string; content?: string; tool_call_id?: string };
const messagesOf = (body: unknown) => (body as { messages: Message[] }).messages;

/** Step 1 looks the order up, step 2 asks for a refund, step 3 answers with what the refund tool said. */
function support(info: ScriptRequestInfo): ScriptedReply {
  const tools = messagesOf(info.body).filter((m) => m.role === 'tool');
  if (tools.length === 0) return { toolCalls: [{ id: 'call_lookup', name: 'lookup', args: { order: 'A-17' } }] };
  if (tools.length === 1) return { toolCalls: [{ id: 'call_refund', name: 'refund', args: { order: 'A-17', amount: 250 } }] };
  return { text: `final: ${tools.at(-1)!.content}` };
}

async function setup() {
  const server = await startMockServer(support);
  servers.push(server);
  const refunded: number[] = [];
  const lookups: string[] = [];
  const tools = {
    lookup: tool({ parameters: z.object({ order: z.string() }), execute: ({ order }) => (lookups.push(order), `${order}: paid 250`) }),
    refund: tool({
      description: 'Refund an order',
      parameters: z.object({ order: z.string(), amount: z.number() }),
      needsApproval: ({ amount }) => amount > 100,
      execute: ({ amount }) => (refunded.push(amount), `refunded ${amount}`),
    }),
  };
  const wf = workflow({ name: 'support', input: z.object({ message: z.string() }) }).agent('agent', {
    model: 'gpt-5.4-mini',
    prompt: ({ input }) => input.message,
    tools,
  });
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
  return { server, sy, wf, refunded, lookups };
}

describe('needsApproval', () => {
  test('the agent pauses before the tool runs; a rejection with a message reaches the model', async () => {
    const { server, sy, wf, refunded, lookups } = await setup();
    const paused = await sy.run(wf, { message: 'I want my money back' }).result;
    expect(paused.status).toBe('waiting');
    expect(paused.waiting).toEqual([
      {
        nodeId: 'agent',
        kind: 'tool',
        step: 2,
        prompt: 'Allow the agent to call refund({"order":"A-17","amount":250})?',
        toolCalls: [{ id: 'call_refund', name: 'refund', args: { order: 'A-17', amount: 250 } }],
        answerSchema: expect.any(Object),
        since: expect.any(Number),
      },
    ]);
    expect(paused.nodes.agent.status).toBe('waiting');
    expect(paused.nodes.agent.steps!.map((s) => s.step)).toEqual([1]);
    expect(server.requests).toHaveLength(2);
    expect(refunded).toEqual([]);

    const resumed = await sy.resume(paused.runId, wf, { answers: { agent: { approved: false, message: 'Refunds over 100 need a manager.' } } }).result;
    expect(resumed.status).toBe('succeeded');
    expect(refunded).toEqual([]); // rejected: the tool never ran
    expect(lookups).toEqual(['A-17']); // step 1's tool was replayed from the checkpoint, not run again
    expect(server.requests).toHaveLength(3); // steps 1 and 2 were not requested again
    const sent = messagesOf(server.requests[2]!.body).filter((m) => m.role === 'tool');
    expect(sent.at(-1)).toMatchObject({ tool_call_id: 'call_refund', content: 'The user rejected this tool call: Refunds over 100 need a manager.' });
    expect(resumed.outputs.agent).toBe('final: The user rejected this tool call: Refunds over 100 need a manager.');
    expect(resumed.nodes.agent.steps![1]!.toolCalls[0]).toMatchObject({ name: 'refund', ok: false, approval: 'rejected' });
  });

  test('approved, the tool runs and the model gets its result', async () => {
    const { server, sy, wf, refunded } = await setup();
    const paused = await sy.run(wf, { message: 'refund please' }).result;
    const resumed = await sy.resume(paused.runId, wf, { answers: { agent: true } }).result;
    expect(refunded).toEqual([250]);
    expect(resumed.outputs.agent).toBe('final: refunded 250');
    expect(resumed.nodes.agent.steps![1]!.toolCalls[0]).toMatchObject({ ok: true, approval: 'approved' });
    expect(server.requests).toHaveLength(3);
  });

  test('a decision per tool call id; an id the agent does not wait for is refused', async () => {
    const { sy, wf } = await setup();
    const paused = await sy.run(wf, { message: 'refund please' }).result;
    const wrong = await sy.resume(paused.runId, wf, { answers: { agent: { call_other: true } } }).result.catch((e: unknown) => e);
    expect(wrong).toMatchObject({ kind: 'invalid_request', message: "The answer for 'agent' names tool call 'call_other'; it waits for 'call_refund'." });
    const resumed = await sy.resume(paused.runId, wf, { answers: { agent: { call_refund: { approved: true } } } }).result;
    expect(resumed.outputs.agent).toBe('final: refunded 250');
  });
});
