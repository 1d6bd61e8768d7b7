import { z } from 'zod';
import { createSwitchyard, workflow, type NodeDefinition } from '/work/main/src/index.ts';
import { simulated } from '/work/main/src/testing/index.ts';
import { writeReport } from '/work/main/src/observe/report/index.ts';
const N = 10_000, W = 100;
const nodes: NodeDefinition[] = [];
const models = ['gpt-5.4-mini', 'gpt-5.4', 'claude-haiku-4-5', 'gemini-3-flash'];
for (let i = 0; i < N; i++) {
  const level = Math.floor(i / W);
  nodes.push({ kind: 'llm', id: `n${i}`, model: models[i % 4]!, prompt: `task ${i}`, maxOutputTokens: 20, ...(level > 0 ? { after: [`n${i - W}`] } : {}) } as NodeDefinition);
}
const wf = workflow({ name: 'big', input: z.object({}), nodes });
const sy = createSwitchyard({ providers: [simulated({ reply: (info) => info.index % 97 === 5 ? { text: 'a b c', fault: { type: 'cut', afterTokens: 1 } } : { text: 'done ok' } })], retry: { baseDelayMs: 1 } });
let t = performance.now();
const r = await sy.run(wf, {}, { trace: '/tmp/rep/big.jsonl', concurrency: 200 }).result;
console.log('run', r.status, Math.round(performance.now() - t), 'ms');
t = performance.now();
const w = writeReport('/tmp/rep/big.jsonl', '/tmp/rep/big.html');
console.log('report', Math.round(performance.now() - t), 'ms', w);
