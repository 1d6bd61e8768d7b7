/**
 * AI SDK language models as switchyard endpoints. A self-hosted model, 'house-model', joins the catalog under the
 * provider name 'local' and is served through @ai-sdk/openai-compatible by the endpoint named 'local'; gpt-5.4 is
 * served first by an AI SDK hub endpoint and, when that hub is overloaded, by the native OpenAI adapter. Costs come
 * from the catalog for both; routing, budget and failover treat the AI SDK endpoints like any other.
 *
 *   npx tsx examples/ai-sdk-endpoint.ts
 *
 * Runs offline: every endpoint is a local mock server speaking the OpenAI chat wire format (the house server, an
 * overloaded hub answering 503, and the direct endpoint).
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { aiSdk } from '../src/ai-sdk/index.js';
import { createCatalog, createSwitchyard, defaultCatalog, openai, workflow, type RunResult } from '../src/index.js';
import { startMockServer } from '../src/testing/index.js';

const Triage = z.object({ kind: z.enum(['bug', 'question']), urgent: z.boolean() });

export async function main(log: (line: string) => void = console.log): Promise<RunResult<{ triage: z.infer<typeof Triage>; reply: string }>> {
  const houseServer = await startMockServer({ text: '{"kind":"bug","urgent":true}', usage: { inputTokens: 80, outputTokens: 12 } });
  const hubServer = await startMockServer({ fault: { type: 'http', status: 503, message: 'Upstream overloaded' } });
  const directServer = await startMockServer({ text: 'Sorry about the crash: a fix ships today.' });
  try {
    const catalog = createCatalog(defaultCatalog, {
      'house-model': {
        provider: 'local', // served by the endpoint named 'local'
        contextWindow: 32_000,
        maxOutputTokens: 4_000,
        pricing: { input: 0.05, output: 0.2, source: 'our GPU bill', asOf: '2026-05-01' },
        capabilities: { tools: true, structuredOutput: true, vision: false, reasoning: false },
        tasks: ['classification'],
      },
    });
    const house = createOpenAICompatible({ name: 'house', baseURL: houseServer.openaiBaseURL, includeUsage: true, supportsStructuredOutputs: true });
    const hub = createOpenAICompatible({ name: 'hub', baseURL: hubServer.openaiBaseURL, apiKey: 'hub-key', includeUsage: true });
    const sy = createSwitchyard({
      catalog,
      providers: [
        aiSdk({ name: 'local', models: { 'house-model': house.chatModel('house-v1') } }),
        aiSdk({ name: 'ai-hub', models: { 'gpt-5.4': hub.chatModel('openai/gpt-5.4') } }),
        openai({ name: 'direct', baseURL: directServer.openaiBaseURL, apiKey: 'direct-key', models: ['gpt-5.4'] }),
      ],
      budget: { usd: 1 },
    });
    const wf = workflow({ name: 'support', input: z.object({ ticket: z.string() }) })
      .llm('triage', { model: 'house-model', prompt: ({ input }) => input.ticket, output: Triage })
      .llm('reply', {
        after: ['triage'],
        model: 'gpt-5.4',
        maxOutputTokens: 300,
        prompt: ({ input, triage }) => `Reply to this ${triage.urgent ? 'urgent ' : ''}${triage.kind}: ${input.ticket}`,
      });
    const run = sy.run(wf, { ticket: 'The app crashes when I save.' });
    run.on('node-fallback', (e) => log(`fallback: ${e.from.model} on ${e.from.provider} → ${e.to.provider} (${e.error?.kind} ${e.error?.status})`));
    const result = await run.result;
    for (const [id, node] of Object.entries(result.nodes)) {
      log(`${id}: ${node.model} on ${node.provider}, ${node.attempts} attempt(s), $${node.costUsd.toFixed(6)}`);
    }
    log(`triage: ${JSON.stringify(result.outputs.triage)}`);
    log(`reply: ${result.outputs.reply}`);
    return result;
  } finally {
    await Promise.all([houseServer.close(), hubServer.close(), directServer.close()]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
