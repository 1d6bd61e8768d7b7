/**
 * Child process of test/observe-trace.test.ts: runs a slow three-node chain with a trace file and prints each
 * event type to stdout, so the parent can SIGKILL it mid-run.
 *   node --import tsx test/observe-trace-child.ts <trace.jsonl>
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

/** The workflow and instance both the child and the parent's reference run use. */
export function chain(chunkDelayMs = 25) {
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
  const sy = createSwitchyard({ providers: [simulated({ reply: { text: words, chunkDelayMs } })] });
  const wf = workflow({ name: 'chain', input: z.object({}) })
    .llm('a', { model: 'gpt-5.4', prompt: 'first', maxOutputTokens: 100 })
    .llm('b', { model: 'gpt-5.4', prompt: 'second', after: ['a'], maxOutputTokens: 100 })
    .llm('c', { model: 'gpt-5.4', prompt: 'third', after: ['b'], maxOutputTokens: 100 });
  return { sy, wf };
}

const trace = process.argv[2];
if (trace && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { sy, wf } = chain();
  const run = sy.run(wf, {}, { trace });
  run.on('*', (event) => process.stdout.write(`${event.type} ${event.nodeId ?? ''}\n`));
  await run.result;
}
