/**
 * Budget-fitted output caps: six questions at once under a $0.10 run budget, none with `maxOutputTokens`. Each
 * call's output cap is fitted to what the budget can spare when it reserves (at most half of what is left), sent
 * to the provider, and reported with the reason; calls that find less than `minOutputTokens` left wait for their
 * siblings to settle. Every question is answered and the spend stays under the cap.
 *
 *   npx tsx examples/fitted-output-cap.ts
 *
 * Runs offline on the simulated provider (each answer takes 50 ms, so the calls overlap).
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, workflow, type OutputCap, type RunResult } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

export interface FittedCapResult {
  result: RunResult;
  /** The cap each question's call was sent, in the order they reserved. */
  caps: Array<{ nodeId: string; cap: OutputCap }>;
}

export async function main(log: (line: string) => void = console.log): Promise<FittedCapResult> {
  const sy = createSwitchyard({ providers: [simulated({ firstTokenMs: 50 })] });
  const wf = workflow({ name: 'questions', input: z.object({ topics: z.array(z.string()) }) }).map('answers', {
    over: ({ input }) => input.topics,
    node: { model: 'gpt-5.4-mini', prompt: (topic) => `One paragraph on ${topic}.` },
  });
  const run = sy.run(wf, { topics: ['tides', 'bees', 'glaciers', 'comets', 'ferns', 'coral'] }, { budget: { usd: 0.1 } });
  const caps: FittedCapResult['caps'] = [];
  run.on('budget', (event) => {
    if (event.phase !== 'reserve' || !event.outputCap) return;
    caps.push({ nodeId: `${event.nodeId}[${event.item}]`, cap: event.outputCap });
    log(`${event.nodeId}[${event.item}] cap ${event.outputCap.tokens}: ${event.outputCap.reason}`);
  });
  const result = await run.result;
  log(`${result.status}: ${result.nodes.answers.attempts} answers for $${result.costUsd.toFixed(6)} of the $0.10 run budget`);
  return { result, caps };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
