import { z } from 'zod';
import { createSwitchyard, workflow } from '../src/index.ts';
import { simulated } from '../src/testing/index.ts';
const sim = simulated({ reply: [
  { toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }, { name: 'boom', args: {} }] },
  { text: 'The sum is 5.' },
] });
const sy = createSwitchyard({ providers: [sim] });
const wf = workflow({ name: 'a', input: z.object({}) }).agent('calc', {
  model: 'gpt-5.5', prompt: 'add 2 and 3',
  tools: {
    add: { description: 'add', parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b },
    boom: { parameters: z.object({}), execute: () => { throw new Error('kaput'); } },
  },
});
const run = sy.run(wf, {});
for await (const e of run) console.log(e.type, e.nodeId ?? '', e.step ?? '', 'call' in e ? JSON.stringify(e.call) : '', 'result' in e ? e.result : '');
const r = await run.result;
console.log(r.status, r.outputs.calc, JSON.stringify(r.nodes.calc.steps, null, 1).slice(0, 1500));
console.log(JSON.stringify(sim.requests[1]!.request.messages));
