/**
 * Failover across a transit hub and the direct endpoint: the same model, gpt-5.5, is served by an
 * OpenAI-compatible hub (under its own id, 'openai/gpt-5.5') and by the provider directly. The hub is listed
 * first; when it answers 503 (overloaded) the call moves at once to the same model on the direct endpoint,
 * and the `node-fallback` event says from where, to where and why.
 *
 *   npx tsx examples/hub-failover.ts
 *
 * Runs offline: both endpoints are local mock servers that speak the OpenAI wire format, reached through the
 * official OpenAI SDK.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, openai, workflow, type RunEventOf, type RunResult } from '../src/index.js';
import { startMockServer } from '../src/testing/index.js';

export interface HubFailoverResult {
  result: RunResult<{ answer: string }>;
  fallback?: RunEventOf<'node-fallback'>;
  /** The model id each endpoint received on the wire. */
  hubModels: string[];
  directModels: string[];
}

export async function main(log: (line: string) => void = console.log): Promise<HubFailoverResult> {
  const hubServer = await startMockServer({ fault: { type: 'http', status: 503, message: 'Upstream overloaded, try later.' } });
  const directServer = await startMockServer({ text: 'Paris is the capital of France.' });
  try {
    const sy = createSwitchyard({
      providers: [
        // A transit hub: OpenAI-compatible, names models with a vendor prefix. Listed first, so tried first.
        openai({ name: 'hub', baseURL: hubServer.openaiBaseURL, apiKey: 'hub-key', models: { 'gpt-5.5': 'openai/gpt-5.5' } }),
        // The provider itself.
        openai({ name: 'direct', baseURL: directServer.openaiBaseURL, apiKey: 'direct-key', models: ['gpt-5.5'] }),
      ],
    });
    const wf = workflow({ name: 'ask', input: z.object({ question: z.string() }) }).llm('answer', {
      model: 'gpt-5.5',
      prompt: ({ input }) => input.question,
      maxOutputTokens: 200,
    });
    const run = sy.run(wf, { question: 'What is the capital of France?' });
    let fallback: RunEventOf<'node-fallback'> | undefined;
    run.on('node-route', (e) => log(`route: ${e.model} on ${e.provider}; then ${e.candidates.map((c) => `${c.model} on ${c.provider}`).join(', ')}`));
    run.on('node-fallback', (e) => {
      fallback = e;
      log(`node-fallback: ${e.from.model} on ${e.from.provider} → ${e.to.model} on ${e.to.provider}`);
      log(`  why: ${e.reason}`);
      log(`  error: ${e.error?.kind} (HTTP ${e.error?.status})`);
    });
    const result = await run.result;
    const node = result.nodes.answer;
    log(`answer (${node.model} on ${node.provider}, ${node.attempts} attempts, $${node.costUsd.toFixed(6)}): ${result.outputs.answer}`);
    const hubModels = hubServer.requests.map((r) => r.model ?? '?');
    const directModels = directServer.requests.map((r) => r.model ?? '?');
    log(`requests: hub ${hubModels.join(', ')}; direct ${directModels.join(', ')}`);
    return { result, fallback, hubModels, directModels };
  } finally {
    await Promise.all([hubServer.close(), directServer.close()]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
