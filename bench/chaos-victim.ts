/**
 * The chaos benchmark's victim: a process sharing the Redis budget ledger with the money run, whose calls are on
 * the wire (the mock server hangs them) when the benchmark SIGKILLs it. Prints 'reserve <usd>' for each hold.
 * Usage: tsx bench/chaos-victim.ts <redisUrl> <prefix> <openaiBaseURL> <calls> <capUsd> <leaseMs>
 */
import { z } from 'zod';
import { countTokens, createSwitchyard, defaultCatalog, openai, workflow } from '../src/index.js';
import { RedisBudgetLedger } from '../src/redis/index.js';
import type { NodeDefinition } from '../src/workflow/index.js';

const [url, prefix, baseURL, calls, cap, leaseMs] = process.argv.slice(2) as [string, string, string, string, string, string];
// Ready before the run: building the tokenizer mid-run on a loaded machine could outlast a Redis command's timeout.
countTokens(defaultCatalog.get('gpt-5.4'), { messages: [{ role: 'user', content: 'warm up' }] });
await import('openai');
const ledger = new RedisBudgetLedger({ connection: url, prefix, limits: { usd: Number(cap) }, leaseMs: Number(leaseMs) });
const sy = createSwitchyard({ providers: [openai({ name: 'victim', baseURL, apiKey: 'k' })], ledger });
const nodes = Array.from({ length: Number(calls) }, (_, i): NodeDefinition => ({
  kind: 'llm',
  id: `v${i}`,
  model: 'gpt-5.4',
  maxOutputTokens: 200,
  prompt: `[victim] call ${i}: a long answer, please`,
}) as NodeDefinition);
const run = sy.run(workflow({ name: 'victim', input: z.object({}), nodes }), {});
run.on('budget', (event) => {
  if (event.phase === 'reserve') process.stdout.write(`reserve ${event.amountUsd}\n`);
});
await run.result;
