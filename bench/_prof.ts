import { z } from 'zod';
import { createSwitchyard, workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';
const sy = createSwitchyard({ providers: [simulated()] });
await sy.run(workflow({ name: 'w', input: z.undefined() }).llm('a', { model: 'gpt-5.5', prompt: 'hi' }), undefined).result;
const n = 10000;
const nodes: any[] = [];
for (let i = 0; i < n; i++) nodes.push({ kind: 'llm', id: `n${i}`, model: 'gpt-5.5', prompt: 'hi', after: i ? [`n${i - 1}`] : [] });
const wf = workflow({ name: 'c', input: z.undefined(), nodes });
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  await sy.run(wf, undefined).result;
  console.log(((performance.now() - t) * 1000) / n, 'us/node llm');
}
