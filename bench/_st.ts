import { z } from 'zod';
import { createSwitchyard, workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';
const words = 2000;
const text = Array.from({ length: words }, (_, i) => `w${i % 10}`).join(' ');
const sy = createSwitchyard({ providers: [simulated({ reply: { text } })] });
await sy.run(workflow({ name: 'w', input: z.undefined() }).llm('a', { model: 'gpt-5.5', prompt: 'hi' }), undefined).result;
const nodes: any[] = [];
for (let i = 0; i < 100; i++) nodes.push({ kind: 'llm', id: `n${i}`, model: 'gpt-5.5', prompt: 'hi' });
const wf = workflow({ name: 's', input: z.undefined(), nodes });
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const run = sy.run(wf, undefined);
  let deltas = 0, all = 0, peak = 0;
  for await (const e of run) { all++; if (e.type === 'text-delta') { deltas++; if ((deltas & 4095) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed); } }
  await run.result;
  const dt = performance.now() - t;
  console.log(deltas, all, dt.toFixed(0), 'ms', (deltas / dt * 1000).toFixed(0), 'ev/s', (peak / 1e6).toFixed(0), 'MB');
}
