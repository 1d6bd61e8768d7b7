/**
 * Reasoning across an agent's tool turns on the OpenAI Responses API. The agent (task 'agentic-coding', so
 * gpt-5.5 at reasoning effort 'high' by default) thinks, calls a tool, and thinks on: its reasoning summary
 * streams as `reasoning-delta` events apart from its answer, and the encrypted reasoning item of step 1 goes
 * back in step 2's request (stateless: `store: false`), so the model picks up where it left off.
 *
 *   npx tsx examples/reasoning-agent.ts
 *
 * Runs offline: the endpoint is a local mock server speaking the Responses API, reached through the official
 * OpenAI SDK; it checks the encrypted reasoning it gets back, as the real API does.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, openai, workflow, type RunResult } from '../src/index.js';
import { startMockServer, type ScriptRequestInfo, type ScriptedReply } from '../src/testing/index.js';

/** What the mock model does: think and look up the config first, then think again and answer. */
function agentReply(info: ScriptRequestInfo): ScriptedReply {
  if (info.index === 0) {
    return {
      reasoning: 'The timeout must come from the config. Read it before guessing.',
      toolCalls: [{ name: 'readConfig', args: { key: 'http.timeoutMs' } }],
    };
  }
  return {
    reasoning: 'The config says 500 ms, far below the 2 s the upstream needs. Raise it.',
    text: 'Raise http.timeoutMs from 500 to 3000: the upstream takes about 2 s to answer.',
  };
}

export interface ReasoningAgentResult {
  result: RunResult<{ fix: string }>;
  /** The reasoning each step streamed. */
  thoughts: string[];
  /** The input item types of the second request: the reasoning item is back, before its function call. */
  secondRequestItems: string[];
}

export async function main(log: (line: string) => void = console.log): Promise<ReasoningAgentResult> {
  const server = await startMockServer(agentReply);
  try {
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'test-key', api: 'responses' })] });
    const wf = workflow({ name: 'debug', input: z.object({ issue: z.string() }) }).agent('fix', {
      task: 'agentic-coding',
      prompt: ({ input }) => input.issue,
      tools: {
        readConfig: {
          description: 'Read one configuration value',
          parameters: z.object({ key: z.string() }),
          execute: ({ key }: { key: string }) => (key === 'http.timeoutMs' ? '500' : 'unset'),
        },
      },
    });
    const run = sy.run(wf, { issue: 'Requests to the billing upstream time out. Why?' });
    const thoughts: string[] = [];
    let reasoning = '';
    run.on('node-route', (e) => log(`route: ${e.model} on ${e.provider} (${e.reason})`));
    run.on('reasoning-delta', (e) => void (reasoning += e.text));
    run.on('agent-step', (e) => {
      thoughts.push(reasoning);
      log(`step ${e.step}: thought "${reasoning}"; ${e.toolCalls} tool call(s), ${e.usage.reasoningTokens} reasoning tokens`);
      reasoning = '';
    });
    const result = await run.result;
    const input = (server.requests[1]?.body as { input?: Array<{ type?: string; role?: string }> } | undefined)?.input ?? [];
    const secondRequestItems = input.map((item) => item.type ?? item.role ?? '?');
    log(`step 2 sent back: ${secondRequestItems.join(' → ')}`);
    log(`answer: ${result.outputs.fix}`);
    return { result, thoughts, secondRequestItems };
  } finally {
    await server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
