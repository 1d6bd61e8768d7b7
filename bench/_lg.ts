import { StateGraph, Annotation, START, END } from '@langchain/langgraph';
const S = Annotation.Root({ count: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }) });
async function chain(n: number) {
  const g: any = new StateGraph(S);
  for (let i = 0; i < n; i++) g.addNode(`n${i}`, async () => ({ count: 1 }));
  g.addEdge(START, 'n0');
  for (let i = 1; i < n; i++) g.addEdge(`n${i - 1}`, `n${i}`);
  g.addEdge(`n${n - 1}`, END);
  let t = performance.now();
  const app = g.compile();
  const tc = performance.now() - t;
  t = performance.now();
  const out = await app.invoke({ count: 0 }, { recursionLimit: n + 10 });
  console.log('chain', n, out.count, 'compile', tc.toFixed(0), ((performance.now() - t) * 1000) / n, 'us/node');
}
async function fan(n: number) {
  const g: any = new StateGraph(S);
  g.addNode('src', async () => ({ count: 1 }));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) { g.addNode(`f${i}`, async () => ({ count: 1 })); ids.push(`f${i}`); }
  g.addNode('join', async () => ({ count: 1 }));
  g.addEdge(START, 'src');
  for (const id of ids) g.addEdge('src', id);
  g.addEdge(ids, 'join');
  g.addEdge('join', END);
  let t = performance.now();
  const app = g.compile();
  const tc = performance.now() - t;
  t = performance.now();
  const out = await app.invoke({ count: 0 }, { recursionLimit: 100 });
  console.log('fan', n, out.count, 'compile', tc.toFixed(0), (performance.now() - t).toFixed(0), 'ms', ((performance.now() - t) * 1000) / (n+2), 'us/node');
}
async function stream(nodes: number, per: number) {
  const g: any = new StateGraph(S);
  const ids: string[] = [];
  for (let i = 0; i < nodes; i++) { ids.push(`s${i}`); g.addNode(`s${i}`, async (_s: any, config: any) => { for (let k = 0; k < per; k++) config.writer({ t: ' w' }); return { count: 1 }; }); g.addEdge(START, `s${i}`); g.addEdge(`s${i}`, END); }
  const app = g.compile();
  const t = performance.now();
  let c = 0;
  for await (const _ of await app.stream({ count: 0 }, { streamMode: 'custom' })) c++;
  const dt = performance.now() - t;
  console.log('stream', c, dt.toFixed(0), 'ms', (c / dt * 1000).toFixed(0), 'ev/s');
}
await chain(1000); await chain(3000);
await fan(2000);
await stream(100, 100); await stream(100, 1000);
await chain(10000);
