/**
 * People in the loop, across processes: a refund workflow pauses twice for a person — an `.approval` node (a
 * manager sets the amount), then an agent's tool that needs approval (a large refund) — with a SQLite checkpoint
 * store, and each answer is given by a new switchyard instance, as another process would. Finished nodes and
 * agent steps are never requested again; the rejected tool call's message reaches the model.
 *
 *   npx tsx examples/approvals.ts
 *
 * Runs offline on the simulated provider.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, sqliteStore, tool, workflow, type RunResult } from '../src/index.js';
import { simulated, type ScriptRequestInfo, type ScriptedReply } from '../src/testing/index.js';

const refundTool = tool({
  description: 'Refund an order',
  parameters: z.object({ order: z.string(), amount: z.number() }),
  needsApproval: ({ amount }) => amount > 100,
  execute: ({ order, amount }) => `refunded $${amount} on ${order}`,
});

export const refund = workflow({ name: 'refund', input: z.object({ order: z.string(), complaint: z.string() }) })
  .llm('assess', { task: 'classification', prompt: ({ input }) => `[assess] ${input.complaint}` })
  .approval('manager', {
    after: ['assess'],
    prompt: ({ input, assess }) => `Refund order ${input.order}? Assessment: ${assess}`,
    answer: z.object({ approved: z.boolean(), amount: z.number().positive() }),
  })
  .agent('agent', {
    task: 'chat',
    after: ['manager'],
    prompt: ({ input, manager }) => `[agent] ${manager.approved ? `Refund $${manager.amount} on ${input.order}` : 'Decline politely'}`,
    tools: { refund: refundTool },
  });

/** The model: assesses, then calls the refund tool with the amount it was told, then answers from the result. */
function model(info: ScriptRequestInfo): ScriptedReply {
  if (info.text.includes('[assess]')) return { text: 'eligible: item arrived broken' };
  const rejected = /rejected this tool call: ([^"\\]*)/.exec(JSON.stringify(info.body));
  if (rejected) return { text: `I could not refund it right away (${rejected[1]}) — a supervisor will call you today.` };
  const amount = Number(/Refund \$(\d+)/.exec(info.text)?.[1] ?? 0);
  return { toolCalls: [{ name: 'refund', args: { order: 'A-17', amount } }] };
}

export async function main(log: (line: string) => void = console.log, path = join(mkdtempSync(join(tmpdir(), 'switchyard-')), 'runs.db')) {
  const provider = simulated({ reply: model });
  const open = () => {
    const store = sqliteStore(path);
    return { store, sy: createSwitchyard({ providers: [provider], store }) };
  };

  // 1. The web request that files the refund: the run pauses at the manager's approval.
  const first = open();
  const paused = await first.sy.run(refund, { order: 'A-17', complaint: 'It arrived broken' }, { runId: 'refund-A-17' }).result;
  log(`run ${paused.status}: ${paused.waiting.map((w) => `${w.nodeId} — ${w.prompt}`).join('; ')}`);
  await first.store.close?.();

  // 2. The manager's answer, in another process: the agent then wants a large refund and pauses before the tool.
  const second = open();
  const [inbox] = await second.store.listRuns({ status: 'waiting' });
  log(`inbox: ${inbox?.runId} (${inbox?.workflow})`);
  const toolWait = await second.sy.resume('refund-A-17', refund, { answers: { manager: { approved: true, amount: 250 } } }).result;
  log(`run ${toolWait.status}: ${toolWait.waiting.map((w) => `${w.nodeId} — ${w.prompt}`).join('; ')}`);
  await second.store.close?.();

  // 3. A supervisor rejects the tool call; the model reads why and answers the customer.
  const third = open();
  const done: RunResult = await third.sy.resume('refund-A-17', refund, {
    answers: { agent: { approved: false, message: 'Refunds over $100 need a supervisor call first.' } },
  }).result;
  log(`run ${done.status}: ${done.outputs.agent}`);
  await third.store.close?.();
  return { paused, toolWait, done, requests: provider.requests.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
